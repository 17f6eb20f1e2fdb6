#!/bin/bash
# Runs bench/PingPong for one transport through ipc4j and through raw JDK NIO (plus C for Unix stream)
# back to back, RUNS times, each pair pinned the same way, and prints one line per run with the
# figures and the ratios. Not a test: see ipc-socket/README.md "Speed".
#
#   CP=<test class path> pingpong-compare.sh [TRANSPORT] one|two [RUNS] [N]            # 64 B round trips
#   CP=<test class path> pingpong-compare.sh TRANSPORT one|two flood SIZE [RUNS] [N]   # one-way throughput
#
# TRANSPORT: unix (default; rows C, raw NIO, impl=native, impl=jdk); tcp and udp (raw NIO, ipc4j's
# default impl=native as "lib", impl=jdk); unixgram (raw junixsocket, "lib", impl=junixsocket). one: both sides on CPU 0 (taskset -c 0); two: echo/sink on CPU 0,
# ping/flood on CPU 1. Round trips: N (default 20,000) after N/4 of warm-up, p50 and p99 in us.
# Throughput: N messages (default 2,000,000 of 64 B, 100,000 larger), msg/s, MB/s and, for datagrams,
# how many of the N never arrived.
set -euo pipefail
case "${1:-}" in unix|tcp|udp|unixgram) transport=$1; shift ;; *) transport=unix ;; esac
mode=${1:-one}
flood=no
if [ "${2:-}" = flood ]; then
    flood=yes; size=${3:?flood needs SIZE}; runs=${4:-3}
    if [ "$size" -le 64 ]; then n=${5:-2000000}; else n=${5:-100000}; fi
else
    size=64; runs=${2:-5}; n=${3:-20000}
fi
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/ipc4j-pp.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ "$mode" = one ]; then ce=0; cp=0; else ce=0; cp=1; fi
java="timeout -k 5 600 java -XX:+UseSerialGC -cp $CP org.ipc4j.socket.bench.PingPong"
port=$((20000 + $$ % 20000))

# the address of one row: $1 = row name; a fresh port or socket name each call
address() {
    port=$((port + 2)); rm -f "$work"/*.sock
    case "$transport:$1" in
        unix:nio) echo "nio-unix:$work/s.sock" ;;
        unix:native) echo "unix:$work/s.sock" ;;
        unix:jdk) echo "unix:$work/s.sock?impl=jdk" ;;
        tcp:nio) echo "nio-tcp://127.0.0.1:$port" ;;
        tcp:lib) echo "tcp://127.0.0.1:$port" ;;
        tcp:jdk) echo "tcp://127.0.0.1:$port?impl=jdk" ;;
        udp:nio) echo "nio-udp://127.0.0.1:$port?bind=127.0.0.1:$((port + 1))" ;;
        udp:lib) echo "udp://127.0.0.1:$port?bind=127.0.0.1:$((port + 1))" ;;
        udp:jdk) echo "udp://127.0.0.1:$port?bind=127.0.0.1:$((port + 1))&impl=jdk" ;;
        unixgram:nio) echo "nio-unixgram:$work/a.sock?bind=$work/b.sock" ;;
        unixgram:lib) echo "unixgram:$work/a.sock?bind=$work/b.sock" ;;
        unixgram:junixsocket) echo "unixgram:$work/a.sock?bind=$work/b.sock&impl=junixsocket" ;;
    esac
}

# the other end's address: the datagram ends swap their own and the peer's name
reverse() {
    case "$1" in
        *udp://*) echo "$1" | sed -E 's#udp://([^?]*)\?bind=([^&]*)#udp://\2?bind=\1#' ;;
        *unixgram:*) echo "$1" | sed -E 's#unixgram:([^?]*)\?bind=([^&]*)#unixgram:\2?bind=\1#' ;;
        *) echo "$1" ;;
    esac
}

# runs the serving side ($1, gets READY out) and then the active side ($2); prints the line wanted
pair() {
    local pid out
    : > "$work/ready"
    taskset -c $ce $1 > "$work/ready" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do grep -q READY "$work/ready" && break; sleep 0.05; done
    out=$(taskset -c $cp $2)
    wait $pid || true
    if [ $flood = yes ]; then grep -v READY "$work/ready"; else echo "$out"; fi
}

# round trip: prints "p50 p99" of one row ($1 = c or a row name)
latency() {
    local a line
    if [ "$1" = c ]; then
        line=$(pair "$work/pingpong echo $work/c.sock" "$work/pingpong ping $work/c.sock $n $size")
    else
        a=$(address "$1")
        line=$(pair "$java echo $a" "$java ping $(reverse "$a") $n $size")
    fi
    echo "$line" | sed -n 's/.*p50=\([0-9.]*\)us p99=\([0-9.]*\)us.*/\1 \2/p'
}

# throughput: prints "msg/s MB/s lost" of one row
throughput() {
    local a
    a=$(address "$1")
    pair "$java sink $a $n" "$java flood $(reverse "$a") $n $size" \
        | sed -n 's/.* \([0-9.]*\) msg\/s \([0-9.]*\) MB\/s lost=\(.*\)/\1 \2 \3/p'
}

case $transport in
    unix) rows="nio native jdk" ;;
    tcp|udp) rows="nio lib jdk" ;;
    unixgram) rows="nio lib junixsocket" ;;
esac
lib=${rows#nio }; lib=${lib%% *}
if [ $flood = yes ]; then
    echo "$transport $mode-core throughput, $n messages of $size B: msg/s, MB/s, lost (datagrams); ratio = msg/s over raw NIO"
    for r in $(seq 1 "$runs"); do
        line="run $r"; base=
        for row in $rows; do
            read -r m mb lost < <(throughput "$row")
            base=${base:-$m}
            line="$line | $row $m msg/s $mb MB/s lost=$lost $(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
        done
        echo "$line"
    done
    exit 0
fi
if [ $transport = unix ]; then
    gcc -O2 -o "$work/pingpong" "$here/../c/pingpong.c"
    rows="c $rows"
fi
echo "$transport $mode-core round trips of $size B, $n after $((n / 4)) warm-up: p50/p99 in us; ratios of p50"
for r in $(seq 1 "$runs"); do
    line="run $r"; declare -A p50=()
    for row in $rows; do
        read -r p q < <(latency "$row")
        p50[$row]=$p
        line="$line | $row $p/$q"
    done
    base=${p50[nio]}
    for row in $rows; do
        [ "$row" = nio ] && continue
        line="$line | $row/nio $(awk -v a="${p50[$row]}" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
    done
    [ $transport = unix ] && line="$line | native/c $(awk -v a="${p50[native]}" -v b="${p50[c]}" 'BEGIN { printf "%.2f", a / b }')"
    echo "$line"
done
