package org.ipc4j.shm.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerJvm;

/**
 * Two-JVM ping-pong of 64-byte messages: round trip p50/p99/p99.9 and one-way throughput, for the
 * shm channel (spin and block), Agrona's OneToOneRingBuffer over a /dev/shm mapping, a C
 * ping-pong (spin and futex) compiled from src/test/c/pingpong.c and a C ring ping-pong from
 * src/test/c/ringpong.c. Prints a Markdown table. The
 * one-way rate is printed as the median and the best of {@code -Dbursts} (9) bursts of
 * {@code -Dburst} (1,000,000) messages;
 * {@code -Donly=shm-spin,agrona} runs only the rows named.
 *
 * <p>Run from ipc-shm after {@code mvn -o -q test-compile}:
 * {@code java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -cp target/test-classes:target/classes:$(cat cp.txt) org.ipc4j.shm.bench.PingPongBench}
 */
public final class PingPongBench {
    private static final int SIZE = 64;
    private static final int ROUNDS = Integer.getInteger("rounds", 200_000);
    private static final int BURST = Integer.getInteger("burst", 1_000_000);
    /**
     * One-way bursts per transport: the median rate and the best are reported (on a shared machine
     * some bursts run while one of the two processes is preempted).
     */
    private static final int BURSTS = Integer.getInteger("bursts", 9);
    /**
     * Comma-separated row keys to run (c-spin, c-ring, shm-spin, shm-spin-drain, shm-spin-single-drain,
     * shm-spin-confined-drain, agrona,
     * agrona-many, agrona-copy, agrona-receive, c-futex, shm-block, shm-spinThenBlock); all by default.
     */
    private static final String ONLY = System.getProperty("only", "");
    /**
     * Round trips before the measured ones, for this long ({@code -DwarmupMillis}, 2000): both JVMs
     * reach their final compiled code first (the peer's loop is still in C1 code for the first few
     * hundred milliseconds, longer than the measured rounds take).
     */
    private static final long WARMUP_NANOS = Long.getLong("warmupMillis", 2000) * 1_000_000L;
    /** How many times the rows run, one after the other ({@code -Drepeat}, 1): repeats interleave. */
    private static final int REPEAT = Integer.getInteger("repeat", 1);
    private static final String[] PEER_FLAGS = peerFlags("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=4", "-Xmx512m", "-Dorg.slf4j.simpleLogger.log.net.openhft=off");

    private PingPongBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("| transport | p50 µs | p99 µs | p99.9 µs | mean µs | one-way msgs/s, median (best) |");
        rows.add("|---|---:|---:|---:|---:|---:|");
        for (int repeat = 0; repeat < REPEAT; repeat++) {
            if (wanted("c-spin")) {
                rows.add(c("spin"));
            }
            if (wanted("c-ring")) {
                rows.add(c("ring"));
            }
            if (wanted("c-ring-touch")) {
                rows.add(c("ring-touch"));
            }
            if (wanted("shm-spin")) {
                rows.add(shm("spin", false, ""));
            }
            if (wanted("shm-spin-drain")) {
                rows.add(shm("spin", true, ""));
            }
            if (wanted("shm-spin-single-drain")) {
                rows.add(shm("spin", true, "singleSender"));
            }
            if (wanted("shm-spin-confined-drain")) {
                rows.add(shm("spin", true, "singleSender&singleReceiver"));
            }
            if (wanted("shm-spin-confined-both-drain")) {
                rows.add(shm("spin", true, "singleSender&singleReceiver", true));
            }
            if (wanted("agrona")) {
                rows.add(agrona(false));
            }
            if (wanted("agrona-many")) {
                rows.add(agrona("agrona-many"));
            }
            if (wanted("agrona-copy")) {
                rows.add(agrona(true));
            }
            if (wanted("agrona-receive")) {
                rows.add(agrona("agrona-receive"));
            }
            if (wanted("c-futex")) {
                rows.add(c("futex"));
            }
            if (wanted("shm-block")) {
                rows.add(shm("block", false, ""));
            }
            if (wanted("shm-spinThenBlock")) {
                rows.add(shm("spinThenBlock", false, ""));
            }
        }
        System.out.println();
        rows.forEach(System.out::println);
    }

    /** The peers' JVM flags: {@code base}, then those of {@code -DpeerFlags} (space-separated), for diagnostics. */
    private static String[] peerFlags(String... base) {
        List<String> flags = new ArrayList<>(List.of(base));
        String extra = System.getProperty("peerFlags", "").trim();
        if (!extra.isEmpty()) {
            flags.addAll(List.of(extra.split(" +")));
        }
        return flags.toArray(new String[0]);
    }

    private static boolean wanted(String key) {
        return ONLY.isEmpty() || List.of(ONLY.split(",")).contains(key);
    }

    /** "median (best)" in millions per second. */
    private static String rates(double[] rates) {
        double[] sorted = rates.clone();
        java.util.Arrays.sort(sorted);
        return String.format("%.1f M (%.1f M)", sorted[sorted.length / 2] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    /**
     * A C row: {@code spin} or {@code futex} from pingpong.c (one flag word each way, the message in
     * its own cache line), or {@code ring} from ringpong.c (two rings with this module's record
     * layout, busy-spinning), or {@code ring-touch}: the same, a waiting side also reading the line
     * after the header it polls, as the channel does.
     */
    private static String c(String mode) throws Exception {
        boolean ring = mode.startsWith("ring");
        String program = ring ? "ringpong" : "pingpong";
        Path exe = Path.of("target", program);
        Process cc = new ProcessBuilder("gcc", "-O2", "-o", exe.toString(), "src/test/c/" + program + ".c").inheritIO().start();
        if (cc.waitFor() != 0) {
            throw new IllegalStateException("gcc failed on src/test/c/" + program + ".c");
        }
        int rounds = mode.equals("futex") ? ROUNDS / 4 : ROUNDS;
        Process p = (ring ? new ProcessBuilder(exe.toString(), String.valueOf(rounds), mode.equals("ring-touch") ? "touch" : "")
                : new ProcessBuilder(exe.toString(), mode, String.valueOf(rounds))).start();
        String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        p.waitFor();
        return "| C " + (ring ? "spin ring ping-pong (the records of this module" + (mode.equals("ring") ? ")" : ", waiting reads the next line)")
                : mode + " ping-pong") + " | "
                + us(Long.parseLong(out[0])) + " | " + us(Long.parseLong(out[1])) + " | " + us(Long.parseLong(out[2])) + " | "
                + mean(Double.parseDouble(out[3])) + " | - |";
    }

    /**
     * With {@code drain}, the peer takes messages with {@link Channel#drain} instead of a receive each;
     * {@code confined} is "", or the flags both ends are opened with: {@code singleSender} (sends take
     * no lock), and with it {@code singleReceiver} (nor do receives), as Agrona's OneToOneRingBuffer.
     */
    private static String shm(String wait, boolean drain, String confined) throws Exception {
        return shm(wait, drain, confined, false);
    }

    /**
     * As above; with {@code thisSideDrains}, this side too takes each reply with a one-message
     * {@link Channel#drain} whose handler reads only the length, as Agrona's timing side does.
     */
    private static String shm(String wait, boolean drain, String confined, boolean thisSideDrains) throws Exception {
        boolean single = !confined.isEmpty();
        String name = "ipc4j-bench-" + ProcessHandle.current().pid() + "-" + wait + (drain ? "-drain" : "")
                + (single ? "-" + confined.length() : "");
        String flags = "wait=" + wait + (single ? "&" + confined : "");
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=1MiB&" + flags);
                PeerJvm peer = PeerJvm.builder(PongPeer.class).jvmFlags(PEER_FLAGS)
                        .args(drain ? "shm-drain" : "shm", l.address() + "?" + flags, String.valueOf(BURST)).start();
                Channel c = l.accept(Duration.ofSeconds(60))) {
            peer.awaitReady(Duration.ofSeconds(60));
            ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
            ByteBuffer in = ByteBuffer.allocateDirect(c.maxMessageSize());
            int[] lengths = new int[1];
            org.ipc4j.MessageHandler replyLength = m -> lengths[0] = m.remaining();
            Histogram h = roundTrips(wait.equals("spin") ? ROUNDS : ROUNDS / 4, thisSideDrains ? () -> {
                out.clear();
                c.send(out);
                while (c.drain(replyLength, 1) == 0) {
                    Thread.onSpinWait();   // not reached: an untimed drain waits for one
                }
            } : () -> {
                out.clear();
                c.send(out);
                in.clear();
                c.receive(in);
            });
            String rate = "-";
            if (!wait.equals("block")) {
                double[] rates = new double[BURSTS];
                for (int b = 0; b < BURSTS; b++) {
                    out.clear().limit(1);
                    c.send(out);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < BURST; i++) {
                        out.clear();
                        c.send(out);
                    }
                    in.clear();
                    c.receive(in);
                    rates[b] = BURST / ((System.nanoTime() - t0) / 1e9);
                }
                rate = rates(rates);
            }
            return row("ipc4j shm channel, wait=" + wait + (single ? ", " + confined.replace("&", " + ") : "")
                    + (drain ? ", peer drains" : "") + (thisSideDrains ? ", this side drains reading the length" : ""),
                    h, rate);
        }
    }

    /** With {@code copy}, the peer's handler copies each message out, as a channel's receive does. */
    private static String agrona(boolean copy) throws Exception {
        return agrona(copy ? "agrona-copy" : "agrona");
    }

    /**
     * Agrona between two JVMs; {@code variant} is the peer's mode: "agrona", "agrona-copy" or
     * "agrona-many" (both rings {@link ManyToOneRingBuffer}, whose writes are safe from many threads
     * as a channel's sends are); or "agrona-receive", where the peer is as in "agrona" and this side
     * copies each reply out into a direct buffer, as the channel rows' {@code receive} does.
     */
    private static String agrona(String variant) throws Exception {
        String name = "ipc4j-bench-" + ProcessHandle.current().pid() + "-" + variant;
        int half = (1 << 20) + RingBufferDescriptor.TRAILER_LENGTH;
        boolean many = variant.equals("agrona-many");
        try (SharedRegion r = Ipc.openRegion("shm:/" + name + "?create&raw&size=" + 2 * half)) {
            ByteBuffer all = r.asByteBuffer();
            RingBuffer out = many ? new ManyToOneRingBuffer(new UnsafeBuffer(all, 0, half))
                    : new OneToOneRingBuffer(new UnsafeBuffer(all, 0, half));
            RingBuffer in = many ? new ManyToOneRingBuffer(new UnsafeBuffer(all, half, half))
                    : new OneToOneRingBuffer(new UnsafeBuffer(all, half, half));
            try (PeerJvm peer = PeerJvm.builder(PongPeer.class).jvmFlags(PEER_FLAGS)
                    .args(variant, "shm:/" + name + "?raw", String.valueOf(BURST)).start()) {
                peer.awaitReady(Duration.ofSeconds(60));
                UnsafeBuffer msg = new UnsafeBuffer(new byte[SIZE]);
                int[] got = {0};
                // agrona-receive: this side copies each reply out, as a channel's receive does
                UnsafeBuffer reply = variant.equals("agrona-receive") ? new UnsafeBuffer(ByteBuffer.allocateDirect(SIZE)) : null;
                org.agrona.concurrent.MessageHandler take = reply == null ? (type, buffer, index, length) -> got[0] = length
                        : (type, buffer, index, length) -> {
                            buffer.getBytes(index, reply, 0, length);
                            got[0] = length;
                        };
                Histogram h = roundTrips(ROUNDS, () -> {
                    while (!out.write(1, msg, 0, SIZE)) {
                        Thread.onSpinWait();
                    }
                    got[0] = 0;
                    while (got[0] == 0) {
                        in.read(take, 1);
                    }
                });
                double[] rates = new double[BURSTS];
                for (int b = 0; b < BURSTS; b++) {
                    while (!out.write(1, msg, 0, 1)) {
                        Thread.onSpinWait();
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < BURST; i++) {
                        while (!out.write(1, msg, 0, SIZE)) {
                            Thread.onSpinWait();
                        }
                    }
                    got[0] = 0;
                    while (got[0] == 0) {
                        in.read((type, buffer, index, length) -> got[0] = length, 1);
                    }
                    rates[b] = BURST / ((System.nanoTime() - t0) / 1e9);
                }
                String rate = rates(rates);
                while (!out.write(2, msg, 0, 1)) {
                    Thread.onSpinWait();
                }
                peer.awaitExit(Duration.ofSeconds(60));
                r.unlink();
                return row(many ? "Agrona ManyToOneRingBuffer (thread-safe writes), spin" : "Agrona OneToOneRingBuffer, spin"
                        + (variant.equals("agrona-copy") ? ", peer copying each message out" : "")
                        + (variant.equals("agrona-receive") ? ", this side copying each reply out" : ""), h, rate);
            }
        }
    }

    /** One round trip of a row. */
    @FunctionalInterface
    private interface RoundTrip {
        void run() throws Exception;
    }

    /** Runs round trips for {@link #WARMUP_NANOS}, then {@code rounds} measured ones. */
    private static Histogram roundTrips(int rounds, RoundTrip roundTrip) throws Exception {
        for (long end = System.nanoTime() + WARMUP_NANOS; System.nanoTime() - end < 0; ) {
            roundTrip.run();
        }
        Histogram h = new Histogram(3);
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            roundTrip.run();
            h.recordValue(System.nanoTime() - t0);
        }
        return h;
    }

    private static String row(String what, Histogram h, String rate) {
        return "| " + what + " | " + us(h.getValueAtPercentile(50)) + " | " + us(h.getValueAtPercentile(99)) + " | "
                + us(h.getValueAtPercentile(99.9)) + " | " + mean(h.getMean()) + " | " + rate + " |";
    }

    private static String us(long nanos) {
        return String.format("%.2f", nanos / 1000.0);
    }

    /**
     * A mean in microseconds, to the nanosecond: the clock here ticks in steps of about 10 ns, so
     * two p50s a few nanoseconds apart print alike or a step apart; the mean tells them apart.
     */
    private static String mean(double nanos) {
        return String.format("%.3f", nanos / 1000.0);
    }

}
