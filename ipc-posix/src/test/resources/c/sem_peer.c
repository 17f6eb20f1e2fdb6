/* sem_peer NAME N : opens the named semaphore and posts it N times */
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    sem_t *s = sem_open(argv[1], 0);
    if (s == SEM_FAILED) { perror("sem_open"); return 3; }
    for (int i = 0; i < atoi(argv[2]); i++) {
        if (sem_post(s) != 0) { perror("sem_post"); return 4; }
    }
    sem_close(s);
    return 0;
}
