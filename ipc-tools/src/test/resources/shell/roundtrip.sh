#!/usr/bin/env bash
# Shell round trips with the ipc command, as a user would write them. Needs IPC_CP and IPC_FLAGS
# (the test passes its class path and JVM flags) and runs in a scratch directory.
set -euo pipefail
ipc() { java $IPC_FLAGS -XX:TieredStopAtLevel=1 -cp "$IPC_CP" org.ipc4j.tools.IpcCommand "$@"; }
u="ipc4j-sh-$$"

await_line() {   # await_line FILE TEXT: wait (30s at most) until a process writes TEXT into FILE
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "no '$2' in $1: $(cat "$1")" >&2; return 1
}

echo "== POSIX queue"
ipc send "mq:/$u?create&capacity=4&maxMessageSize=256" "hello mq"
test "$(ipc recv "mq:/$u" --timeout 10s)" = "hello mq"
ipc rm "mq:/$u"

echo "== shm queue"
printf 'one\ntwo\n' | ipc send --queue "shm:/$u-q?create&capacity=8&maxMessageSize=1KiB"
test "$(ipc recv --queue "shm:/$u-q" --count 2 --timeout 10s)" = $'one\ntwo'
ipc rm "shm:/$u-q"

echo "== TCP"
ipc recv --listen tcp://127.0.0.1:0 --count 0 --timeout 30s > tcp.out 2> tcp.err &
recv=$!
await_line tcp.err "listening on"
printf 'a\nb\nc\n' | ipc send "$(sed -n 's/^listening on //p' tcp.err)"
wait $recv
test "$(cat tcp.out)" = $'a\nb\nc'

echo "== FIFO"
ipc recv -v "fifo:$PWD/f?create&read" --timeout 30s > fifo.out 2> fifo.err &
recv=$!
await_line fifo.err "opened"
ipc send "fifo:$PWD/f?write" "through a fifo"
wait $recv
test "$(cat fifo.out)" = "through a fifo"
rm -f f

echo "== bad address"
set +e
ipc send "mq:no-slash" x 2> bad.err
rc=$?
set -e
test $rc = 2
grep -q "must start with '/'" bad.err

echo "ALL OK"
