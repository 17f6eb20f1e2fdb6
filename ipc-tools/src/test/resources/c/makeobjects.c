/* Makes IPC objects for the ipc ls test, says READY, waits for a line on stdin, removes what is left.
 * usage: makeobjects NAME KEY FIFOPATH (a Unix socket is bound at FIFOPATH.sock) */
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: makeobjects NAME KEY FIFOPATH\n"); return 2; }
    umask(0);
    char shm[300], sem[300], mqn[300];
    snprintf(shm, sizeof shm, "/%s-shm", argv[1]);
    snprintf(sem, sizeof sem, "/%s-sem", argv[1]);
    snprintf(mqn, sizeof mqn, "/%s-mq", argv[1]);
    struct mq_attr attr = {0};
    attr.mq_maxmsg = 4;
    attr.mq_msgsize = 128;
    mqd_t m = mq_open(mqn, O_CREAT | O_EXCL | O_WRONLY, 0604, &attr);
    if (m == (mqd_t) -1) { perror("mq_open"); return 1; }
    if (mq_send(m, "hello", 5, 0) != 0) { perror("mq_send"); return 1; }
    int fd = shm_open(shm, O_CREAT | O_EXCL | O_RDWR, 0640);
    if (fd < 0 || ftruncate(fd, 4096) != 0) { perror("shm_open"); return 1; }
    sem_t *s = sem_open(sem, O_CREAT | O_EXCL, 0600, 3);
    if (s == SEM_FAILED) { perror("sem_open"); return 1; }
    int q = msgget((key_t) strtol(argv[2], NULL, 0), IPC_CREAT | IPC_EXCL | 0600);
    if (q < 0) { perror("msgget"); return 1; }
    if (mkfifo(argv[3], 0620) != 0) { perror("mkfifo"); return 1; }
    struct sockaddr_un sa = {0};
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s.sock", argv[3]);
    int so = socket(AF_UNIX, SOCK_STREAM, 0);
    if (so < 0 || bind(so, (struct sockaddr *) &sa, sizeof sa) != 0 || listen(so, 1) != 0) { perror("bind"); return 1; }
    printf("READY\n");
    fflush(stdout);
    char line[16];
    if (fgets(line, sizeof line, stdin) == NULL) { /* parent gone: clean up anyway */ }
    shm_unlink(shm);
    sem_unlink(sem);
    mq_unlink(mqn);
    msgctl(q, IPC_RMID, NULL);
    unlink(argv[3]);
    unlink(sa.sun_path);
    close(so);
    return 0;
}
