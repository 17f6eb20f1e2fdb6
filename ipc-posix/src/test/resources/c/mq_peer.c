/* mq_peer send NAME  : sends 4 messages with mixed priorities
 * mq_peer receive NAME N : receives N messages, prints "text@prio" per line */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    mqd_t q = mq_open(argv[2], O_RDWR);
    if (q == (mqd_t) -1) { perror("mq_open"); return 3; }
    if (strcmp(argv[1], "send") == 0) {
        const char *texts[] = {"c-first", "c-last", "c-urgent", "c-second"};
        unsigned prios[] = {3, 0, 9, 3};
        for (int i = 0; i < 4; i++) {
            if (mq_send(q, texts[i], strlen(texts[i]), prios[i]) != 0) { perror("mq_send"); return 4; }
        }
    } else {
        struct mq_attr a;
        mq_getattr(q, &a);
        char *buf = malloc(a.mq_msgsize + 1);
        int n = atoi(argv[3]);
        for (int i = 0; i < n; i++) {
            unsigned prio;
            ssize_t len = mq_receive(q, buf, a.mq_msgsize, &prio);
            if (len < 0) { perror("mq_receive"); return 5; }
            buf[len] = 0;
            printf("%s@%u\n", buf, prio);
        }
        fflush(stdout);
    }
    mq_close(q);
    return 0;
}
