/* Round-trip timing shared by the C ping-pongs: a monotonic clock in nanoseconds, and the report
 * the benchmark parses ("p50 p99 p999 mean", nanoseconds). */
#ifndef IPC4J_RTT_H
#define IPC4J_RTT_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000L + t.tv_nsec; }
static int cmp_long(const void *a, const void *b) { long x = *(const long *) a, y = *(const long *) b; return x < y ? -1 : x > y; }

/* Prints p50 p99 p999 and the mean of rounds round trips; sorts rtt. */
static void report(long *rtt, int rounds) {
  double sum = 0;
  for (int i = 0; i < rounds; i++) sum += rtt[i];
  qsort(rtt, rounds, sizeof(long), cmp_long);
  printf("%ld %ld %ld %.1f\n", rtt[rounds / 2], rtt[(long) rounds * 99 / 100], rtt[(long) rounds * 999 / 1000], sum / rounds);
}
#endif
