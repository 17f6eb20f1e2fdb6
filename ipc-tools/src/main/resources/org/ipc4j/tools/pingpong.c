/* ipc4j bench: C ping-pong between a parent and a forked child, the native baseline.
 * usage: pingpong pipe|unix SIZE WARMUP COUNT
 * prints one round-trip time in nanoseconds per line, then "END elapsed_ns". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

static int full(int fd, char *b, size_t n, int rd) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = rd ? read(fd, b + done, n - done) : write(fd, b + done, n - done);
        if (r <= 0) return -1;
        done += (size_t) r;
    }
    return 0;
}

static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: pingpong pipe|unix SIZE WARMUP COUNT\n"); return 2; }
    size_t size = (size_t) atol(argv[2]);
    long warmup = atol(argv[3]), count = atol(argv[4]);
    if (size < 1) size = 1;
    int up[2], down[2]; /* up: parent -> child, down: child -> parent */
    if (strcmp(argv[1], "pipe") == 0) {
        if (pipe(up) || pipe(down)) { perror("pipe"); return 1; }
    } else {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) { perror("socketpair"); return 1; }
        up[0] = sv[1]; up[1] = sv[0]; down[0] = sv[0]; down[1] = sv[1];
    }
    char *buf = malloc(size);
    memset(buf, 7, size);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        for (long i = 0; i < warmup + count; i++) {
            if (full(up[0], buf, size, 1) || full(down[1], buf, size, 0)) _exit(1);
        }
        _exit(0);
    }
    long long *t = malloc(sizeof(long long) * (size_t) (count > 0 ? count : 1));
    long long start = 0;
    for (long i = 0; i < warmup + count; i++) {
        if (i == warmup) start = now();
        long long t0 = now();
        if (full(up[1], buf, size, 0) || full(down[0], buf, size, 1)) { fprintf(stderr, "i/o failed\n"); return 1; }
        if (i >= warmup) t[i - warmup] = now() - t0;
    }
    long long elapsed = now() - start;
    int status;
    waitpid(pid, &status, 0);
    for (long i = 0; i < count; i++) printf("%lld\n", t[i]);
    printf("END %lld\n", elapsed);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
