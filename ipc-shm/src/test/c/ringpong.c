/* Round-trip latency of a C busy-spin ping-pong over two single-producer single-consumer rings in
 * shared memory, with the records the Java rings here use: an 8-byte header (length, type) written
 * last with release, the payload after it, 8-byte aligned, a padding record at the wrap; the
 * consumer polls the header at its head, copies the message out, zeroes the record and releases
 * head. The same memory traffic as the shm channel and Agrona's OneToOneRingBuffer, without a
 * language runtime: the floor for a ring. With "touch", a waiting consumer also reads the cache
 * line after the header it polls, as the shm channel's spinning receive does, so that the
 * payload's second line is fetched while the header is still awaited.
 * usage: ringpong ROUNDS [touch]   prints: p50 p99 p999 mean in nanoseconds */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "rtt.h"

#define CAPACITY (1u << 20)
#define SIZE 64
#define MESSAGE 1u
#define PADDING 0xFFFFFFFFu

struct ring {
  _Alignas(128) uint64_t tail;
  _Alignas(128) uint64_t head;
  _Alignas(128) uint8_t records[CAPACITY];
};

/* one end's private view of a ring */
struct end { struct ring *r; uint64_t position; uint64_t limit; };

static uint64_t header(uint32_t type, uint32_t length) { return ((uint64_t) type << 32) | length; }
static uint64_t *word(struct ring *r, uint64_t index) { return (uint64_t *) (r->records + index); }
static int touch;

static void send(struct end *e, const uint8_t *msg) {
  uint32_t record = (8 + SIZE + 7) & ~7u;
  uint64_t index = e->position & (CAPACITY - 1);
  uint64_t toEnd = CAPACITY - index;
  uint64_t needed = toEnd < record ? toEnd + record : record;
  while (e->position + needed > e->limit) {
    e->limit = __atomic_load_n(&e->r->head, __ATOMIC_ACQUIRE) + CAPACITY;
    if (e->position + needed > e->limit) __builtin_ia32_pause();
  }
  if (toEnd < record) {
    __atomic_store_n(word(e->r, index), header(PADDING, (uint32_t) (toEnd - 8)), __ATOMIC_RELEASE);
    e->position += toEnd;
    index = 0;
  }
  memcpy(e->r->records + index + 8, msg, SIZE);
  __atomic_store_n(word(e->r, index), header(MESSAGE, SIZE), __ATOMIC_RELEASE);
  e->position += record;
  __atomic_store_n(&e->r->tail, e->position, __ATOMIC_RELEASE);
}

static uint32_t receive(struct end *e, uint8_t *buffer) {
  for (;;) {
    uint64_t index = e->position & (CAPACITY - 1);
    uint64_t h;
    while ((h = __atomic_load_n(word(e->r, index), __ATOMIC_ACQUIRE)) == 0) {
      if (touch) (void) *(volatile uint64_t *) word(e->r, (index + 64) & (CAPACITY - 1));
      __builtin_ia32_pause();
    }
    uint32_t length = (uint32_t) h;
    uint32_t record = (uint32_t) (h >> 32) == PADDING ? length + 8 : ((8 + length + 7) & ~7u);
    if ((uint32_t) (h >> 32) == MESSAGE) memcpy(buffer, e->r->records + index + 8, length);
    memset(e->r->records + index, 0, record);
    e->position += record;
    __atomic_store_n(&e->r->head, e->position, __ATOMIC_RELEASE);
    if ((uint32_t) (h >> 32) == MESSAGE) return length;
  }
}

int main(int argc, char **argv) {
  int rounds = atoi(argv[1]);
  touch = argc > 2 && strcmp(argv[2], "touch") == 0;
  int warm = rounds / 5;
  struct ring *rings = mmap(NULL, 2 * sizeof(struct ring), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  uint8_t msg[SIZE], buffer[SIZE];
  memset(msg, 0, SIZE);
  pid_t child = fork();
  if (child == 0) {
    struct end in = {&rings[0], 0, 0}, out = {&rings[1], 0, CAPACITY};
    for (int i = 0; i < rounds + warm; i++) {
      receive(&in, buffer);
      send(&out, buffer);
    }
    _exit(0);
  }
  struct end out = {&rings[0], 0, CAPACITY}, in = {&rings[1], 0, 0};
  long *rtt = malloc(sizeof(long) * rounds);
  for (int i = 0; i < rounds + warm; i++) {
    long t0 = now_ns();
    send(&out, msg);
    receive(&in, buffer);
    if (i >= warm) rtt[i - warm] = now_ns() - t0;
  }
  waitpid(child, NULL, 0);
  report(rtt, rounds);
  return 0;
}
