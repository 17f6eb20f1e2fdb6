/* Round-trip latency of a C ping-pong over shared memory between two processes.
 * usage: pingpong spin|futex ROUNDS   prints: p50 p99 p999 mean in nanoseconds */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "rtt.h"

struct shared { _Alignas(128) volatile uint32_t ping; _Alignas(128) volatile uint32_t pong; char msg[2][64]; };


static void wait_for(volatile uint32_t *w, uint32_t value, int futex) {
  while (__atomic_load_n(w, __ATOMIC_ACQUIRE) != value) {
    if (futex) syscall(SYS_futex, w, FUTEX_WAIT, value - 1, NULL, NULL, 0);
    else __builtin_ia32_pause();
  }
}
static void post(volatile uint32_t *w, uint32_t value, int futex) {
  __atomic_store_n(w, value, __ATOMIC_RELEASE);
  if (futex) syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

int main(int argc, char **argv) {
  int futex = strcmp(argv[1], "futex") == 0;
  int rounds = atoi(argv[2]);
  int warm = rounds / 5;
  struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pid_t child = fork();
  if (child == 0) {
    for (uint32_t i = 1; i <= (uint32_t) (rounds + warm); i++) {
      wait_for(&s->ping, i, futex);
      memcpy(s->msg[1], s->msg[0], 64);
      post(&s->pong, i, futex);
    }
    _exit(0);
  }
  long *rtt = malloc(sizeof(long) * rounds);
  for (uint32_t i = 1; i <= (uint32_t) (rounds + warm); i++) {
    long t0 = now_ns();
    memset(s->msg[0], (int) i, 64);
    post(&s->ping, i, futex);
    wait_for(&s->pong, i, futex);
    if (i > (uint32_t) warm) rtt[i - warm - 1] = now_ns() - t0;
  }
  waitpid(child, NULL, 0);
  report(rtt, rounds);
  return 0;
}
