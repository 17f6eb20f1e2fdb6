/* rt_bench mq|pipe CHILD_CPU ITERATIONS WARMUP: round trips of 64-byte messages between this
 * process (pinned to CPU 0) and a forked echo child (pinned to CHILD_CPU); prints
 * "p50_us p90_us p99_us" of the measured round trips. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pin(int cpu) {
    cpu_set_t s;
    CPU_ZERO(&s);
    CPU_SET(cpu, &s);
    sched_setaffinity(0, sizeof s, &s);
}

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int use_mq = strcmp(argv[1], "mq") == 0;
    int child_cpu = atoi(argv[2]);
    int n = atoi(argv[3]), warm = atoi(argv[4]);
    char buf[64] = {0};
    int p1[2], p2[2];
    mqd_t ping = 0, pong = 0;
    char n1[64], n2[64];
    if (use_mq) {
        struct mq_attr a = {0};
        a.mq_maxmsg = 10;
        a.mq_msgsize = 64;
        snprintf(n1, sizeof n1, "/rt-bench-ping-%d", getpid());
        snprintf(n2, sizeof n2, "/rt-bench-pong-%d", getpid());
        ping = mq_open(n1, O_RDWR | O_CREAT, 0600, &a);
        pong = mq_open(n2, O_RDWR | O_CREAT, 0600, &a);
        if (ping < 0 || pong < 0) { perror("mq_open"); return 2; }
    } else if (pipe(p1) || pipe(p2)) {
        perror("pipe");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        pin(child_cpu);
        for (int i = 0; i < n + warm; i++) {
            if (use_mq) {
                unsigned prio;
                mq_receive(ping, buf, 64, &prio);
                mq_send(pong, buf, 64, 0);
            } else {
                if (read(p1[0], buf, 64) != 64) return 3;
                if (write(p2[1], buf, 64) != 64) return 4;
            }
        }
        return 0;
    }
    pin(0);
    long *t = malloc(sizeof(long) * n);
    for (int i = 0; i < n + warm; i++) {
        long start = now_ns();
        if (use_mq) {
            unsigned prio;
            mq_send(ping, buf, 64, 0);
            mq_receive(pong, buf, 64, &prio);
        } else {
            if (write(p1[1], buf, 64) != 64) return 5;
            if (read(p2[0], buf, 64) != 64) return 6;
        }
        if (i >= warm) t[i - warm] = now_ns() - start;
    }
    waitpid(pid, NULL, 0);
    if (use_mq) { mq_unlink(n1); mq_unlink(n2); }
    qsort(t, n, sizeof(long), cmp);
    printf("%.3f %.3f %.3f\n", t[n / 2] / 1000.0, t[n * 9 / 10] / 1000.0, t[n * 99 / 100] / 1000.0);
    return 0;
}
