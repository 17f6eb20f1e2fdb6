/* The 64-byte Unix stream ping-pong of bench/PingPong.java in C, for the README's comparison row.
 * gcc -O2 -o pingpong pingpong.c
 * ./pingpong echo /tmp/c.sock & ./pingpong ping /tmp/c.sock 20000 64 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int full(int fd, char *b, size_t n, int rd) {
    size_t d = 0;
    while (d < n) {
        ssize_t r = rd ? read(fd, b + d, n - d) : write(fd, b + d, n - d);
        if (r <= 0) return -1;
        d += r;
    }
    return 0;
}

static int cmp(const void *a, const void *b) {
    long x = *(const long *) a, y = *(const long *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    strncpy(a.sun_path, argv[2], sizeof a.sun_path - 1);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    static char buf[1 << 16];
    if (!strcmp(argv[1], "echo")) {
        unlink(argv[2]);
        if (bind(s, (void *) &a, sizeof a) || listen(s, 1)) { perror("bind"); return 1; }
        puts("READY");
        fflush(stdout);
        int c = accept(s, 0, 0);
        for (;;) {
            uint32_t len;
            if (full(c, (char *) &len, 4, 1)) return 0;
            size_t n = ntohl(len);
            if (full(c, buf, n, 1)) return 0;
            memmove(buf + 4, buf, n);
            memcpy(buf, &len, 4);
            if (full(c, buf, n + 4, 0)) return 0;
        }
    }
    if (connect(s, (void *) &a, sizeof a)) { perror("connect"); return 1; }
    int n = atoi(argv[3]), size = atoi(argv[4]);
    long *rtt = malloc(sizeof(long) * n);
    uint32_t len = htonl(size);
    for (int i = -n / 4; i < n; i++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        memcpy(buf, &len, 4);
        full(s, buf, size + 4, 0);
        full(s, buf, size + 4, 1);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (i >= 0) rtt[i] = (t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec;
    }
    qsort(rtt, n, sizeof(long), cmp);
    printf("c size=%d n=%d p50=%.1fus p99=%.1fus\n", size, n, rtt[n / 2] / 1000.0, rtt[n * 99 / 100] / 1000.0);
    return 0;
}
