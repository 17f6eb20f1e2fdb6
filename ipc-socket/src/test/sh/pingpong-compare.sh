#!/bin/bash
# Runs the 64-byte Unix stream ping-pong in C, raw JDK NIO and ipc4j (impl=native, the default, and
# impl=jdk) back to back, RUNS times, each pair pinned the same way, and prints one line per run with
# the p50s and the ratios. Not a test: see ipc-socket/README.md "Speed".
#
#   CP=<test class path> ipc-socket/src/test/sh/pingpong-compare.sh one|two [RUNS] [N]
#
# one: both sides on CPU 0 (taskset -c 0); two: echo on CPU 0, ping on CPU 1.
set -euo pipefail
mode=${1:-one}; runs=${2:-5}; n=${3:-20000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/ipc4j-pp.XXXXXX)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/pingpong" "$here/../c/pingpong.c"
if [ "$mode" = one ]; then ce=0; cp=0; else ce=0; cp=1; fi
java="java -XX:+UseSerialGC -cp $CP org.ipc4j.socket.bench.PingPong"

# prints the ping side's p50 in microseconds; $1 = c, or the address before the path, $2 after it
one_run() {
    local sock="$work/s.sock" echo ping out pid
    rm -f "$sock"
    if [ "$1" = c ]; then
        echo="$work/pingpong echo $sock"; ping="$work/pingpong ping $sock $n 64"
    else
        echo="$java echo $1$sock${2:-}"; ping="$java ping $1$sock${2:-} $n 64"
    fi
    : > "$work/ready"
    taskset -c $ce $echo > "$work/ready" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do grep -q READY "$work/ready" && break; sleep 0.05; done
    out=$(taskset -c $cp $ping)
    wait $pid || true
    echo "$out" | sed -n 's/.*p50=\([0-9.]*\)us.*/\1/p'
}

printf '%-4s %8s %8s %8s %8s %11s %9s %8s\n' run C rawNIO native jdk native/NIO native/C jdk/NIO
for r in $(seq 1 "$runs"); do
    c=$(one_run c); nio=$(one_run nio:); nat=$(one_run unix:); jdk=$(one_run unix: '?impl=jdk')
    awk -v r=$r -v c=$c -v nio=$nio -v nat=$nat -v jdk=$jdk 'BEGIN {
        printf "%-4s %8.1f %8.1f %8.1f %8.1f %11.2f %9.2f %8.2f\n", r, c, nio, nat, jdk, nat/nio, nat/c, jdk/nio }'
done
