package org.ipc4j.posix;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.posix.internal.HotCalls;
import org.ipc4j.posix.internal.LibC;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerProcess;
import org.ipc4j.testkit.peer.EchoPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Round trips of 64-byte messages between this JVM and a peer JVM over a POSIX queue pair and a
 * pipe pair, and the same in C, on one core and on two. Not part of the build: run with
 * {@code mvn -o -pl ipc-posix test -Dtest=RoundTripBenchmark -Dipc.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "ipc.bench", matches = "true")
class RoundTripBenchmark {
    private static final int WARMUP = 30_000;
    private static final int ITERATIONS = 50_000;
    /** Peers make their calls the way this JVM does (see {@link HotCalls}). */
    private static final String FOREIGN_FLAG = "-Dipc4j.posix.foreign=" + System.getProperty("ipc4j.posix.foreign", "true");
    private static final String JNI_FLAG = "-Dipc4j.posix.jni=" + System.getProperty("ipc4j.posix.jni", "true");
    /** The bare rows through {@link HotCalls}, when it does not just call JNA. */
    private static final String HOT = "Java, bare " + HotCalls.route() + " calls";
    /**
     * Peers get the full JIT, as an application would: the test kit's default peer flags stop at C1
     * (for a quick start), which would measure C1-compiled library code in the peer.
     */
    private static final String FULL_JIT = "-XX:TieredStopAtLevel=4";

    /** sched_setaffinity for the calling thread (test only). */
    static final class Affinity {
        static {
            Native.register(Affinity.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private Affinity() {
        }

        static native int sched_setaffinity(int pid, long size, long[] mask);

        static void pin0and1() {
            sched_setaffinity(0, 8, new long[] {3L});
        }

        static void pin(int cpu) {
            if (sched_setaffinity(0, 8, new long[] {1L << cpu}) != 0) {
                throw new IllegalStateException("sched_setaffinity failed: errno " + Native.getLastError());
            }
        }
    }

    @Test
    void report() throws Exception {
        List<String> rows = new ArrayList<>();
        String c = TestSupport.compileC("rt_bench").toString();
        for (int childCpu : new int[] {0, 1}) {
            String cores = childCpu == 0 ? "one core" : "two cores";
            rows.add(row("C", "mq", cores, runC(c, "mq", childCpu)));
            rows.add(row("Java", "mq", cores, javaQueue(childCpu)));
            rows.add(row("Java, bare JNA calls", "mq", cores, bareQueue(childCpu, false)));
            if (!HotCalls.route().equals("JNA")) {
                rows.add(row(HOT, "mq", cores, bareQueue(childCpu, true)));
            }
            rows.add(row("C", "pipe", cores, runC(c, "pipe", childCpu)));
            rows.add(row("Java", "pipe", cores, javaPipe(childCpu)));
            if (!HotCalls.route().equals("JNA")) {
                rows.add(row(HOT, "pipe", cores, barePipe(childCpu)));
            }
        }
        System.out.println("Java " + Runtime.version() + ", message-path calls through " + HotCalls.route());
        System.out.println("| side | mechanism | pinning | p50 µs | p90 µs | p99 µs |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(String side, String mechanism, String cores, double[] p) {
        return String.format("| %s | %s | %s | %.2f | %.2f | %.1f |", side, mechanism, cores, p[0], p[1], p[2]);
    }

    private static double[] runC(String binary, String mechanism, int childCpu) throws Exception {
        try (PeerProcess p = PeerProcess.start("rt_bench", List.of(binary, mechanism, String.valueOf(childCpu),
                String.valueOf(ITERATIONS), String.valueOf(WARMUP)))) {
            if (p.awaitExit(TestSupport.PEER_TIMEOUT) != 0) {
                throw new AssertionError(p.output());
            }
            return Arrays.stream(p.output().get(0).split(" ")).mapToDouble(Double::parseDouble).toArray();
        }
    }

    private static double[] javaQueue(int childCpu) throws Exception {
        String ping = "mq:/" + TestSupport.unique("ping");
        String pong = "mq:/" + TestSupport.unique("pong");
        try (MessageQueue out = Ipc.openQueue(ping + "?create&capacity=10&maxMessageSize=64");
             MessageQueue in = Ipc.openQueue(pong + "?create&capacity=10&maxMessageSize=64");
             PeerJvm peer = PeerJvm.builder(Peers.QueueEcho.class).wrapper("taskset", "-c", String.valueOf(childCpu))
                     .jvmFlags(FOREIGN_FLAG, JNI_FLAG, FULL_JIT)
                     .args(ping, pong, String.valueOf(WARMUP + ITERATIONS)).start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            Affinity.pin(0);
            ByteBuffer message = ByteBuffer.allocateDirect(64);
            ByteBuffer reply = ByteBuffer.allocateDirect(64);
            long[] t = new long[ITERATIONS];
            for (int i = 0; i < WARMUP + ITERATIONS; i++) {
                long start = System.nanoTime();
                message.clear();
                out.send(message, 0);
                reply.clear();
                in.receive(reply);
                if (i >= WARMUP) {
                    t[i - WARMUP] = System.nanoTime() - start;
                }
            }
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
            return percentiles(t);
        } finally {
            Affinity.pin0and1();
            PosixMessageQueue.unlink(ping.substring(3));
            PosixMessageQueue.unlink(pong.substring(3));
        }
    }

    /**
     * The floor under {@link #javaQueue}: the same two JVMs calling {@code mq_send}/{@code mq_receive}
     * through JNA directly, or the way {@link HotCalls} calls them (blocking, no timeout,
     * no checks), so the table shows how much of the gap to C is the JVM and the native call and how
     * much is ipc4j.
     */
    private static double[] bareQueue(int childCpu, boolean hot) throws Exception {
        String ping = "/" + TestSupport.unique("bping");
        String pong = "/" + TestSupport.unique("bpong");
        Ipc.openQueue("mq:" + ping + "?create&capacity=10&maxMessageSize=64").close();
        Ipc.openQueue("mq:" + pong + "?create&capacity=10&maxMessageSize=64").close();
        try (PeerJvm peer = PeerJvm.builder(Peers.BareQueueEcho.class)
                     .wrapper("taskset", "-c", String.valueOf(childCpu)).jvmFlags(FOREIGN_FLAG, JNI_FLAG, FULL_JIT)
                     .args(ping, pong, String.valueOf(WARMUP + ITERATIONS), hot ? "hot" : "jna").start()) {
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            int pingQueue = Peers.BareQueueEcho.open(ping);
            int pongQueue = Peers.BareQueueEcho.open(pong);
            Affinity.pin(0);
            com.sun.jna.Memory buffer = new com.sun.jna.Memory(64);
            com.sun.jna.Memory priority = new com.sun.jna.Memory(8);
            long b = com.sun.jna.Pointer.nativeValue(buffer);
            long p = com.sun.jna.Pointer.nativeValue(priority);
            Object state = HotCalls.state();
            long[] t = new long[ITERATIONS];
            for (int i = 0; i < WARMUP + ITERATIONS; i++) {
                long start = System.nanoTime();
                boolean ok = hot
                        ? HotCalls.mqTimedSend(state, pingQueue, b, 64, 0, 0L) == 0 && HotCalls.mqTimedReceive(state, pongQueue, b, 64, p, 0L) == 64
                        : LibC.mq_timedsend(pingQueue, b, 64, 0, 0L) == 0 && LibC.mq_timedreceive(pongQueue, b, 64, p, 0L) == 64;
                if (!ok) {
                    throw new IllegalStateException("mq call failed");
                }
                if (i >= WARMUP) {
                    t[i - WARMUP] = System.nanoTime() - start;
                }
            }
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
            LibC.mq_close(pingQueue);
            LibC.mq_close(pongQueue);
            return percentiles(t);
        } finally {
            Affinity.pin0and1();
            PosixMessageQueue.unlink(ping);
            PosixMessageQueue.unlink(pong);
        }
    }

    private static double[] javaPipe(int childCpu) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", String.valueOf(childCpu)));
        cmd.addAll(PeerJvm.javaCommand(EchoPeer.class, List.of(FOREIGN_FLAG, JNI_FLAG, FULL_JIT), List.of("pipe:?read=3&write=4")));
        try (ChildProcess child = ChildProcess.builder(cmd).channel(3, 4).stdin(ChildProcess.Stdio.PIPE)
                .stdout(ChildProcess.Stdio.PIPE).start()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
            if (!"READY".equals(lines.readLine())) {
                throw new AssertionError("peer did not start");
            }
            Channel c = child.channel();
            Affinity.pin(0);
            ByteBuffer message = ByteBuffer.allocateDirect(64);
            ByteBuffer reply = ByteBuffer.allocateDirect(c.maxMessageSize());
            long[] t = new long[ITERATIONS];
            for (int i = 0; i < WARMUP + ITERATIONS; i++) {
                long start = System.nanoTime();
                message.clear();
                c.send(message);
                reply.clear();
                c.receive(reply);
                if (i >= WARMUP) {
                    t[i - WARMUP] = System.nanoTime() - start;
                }
            }
            c.close();
            child.waitFor(TestSupport.PEER_TIMEOUT);
            return percentiles(t);
        } finally {
            Affinity.pin0and1();
        }
    }

    /**
     * The floor under {@link #javaPipe}: blocking {@code read}/{@code write} of raw 64-byte messages
     * through {@link HotCalls} on both sides, a peer JVM as the echo.
     */
    private static double[] barePipe(int childCpu) throws Exception {
        int[] toChild = org.ipc4j.posix.internal.Spawner.pipe("bench pipe");
        int[] toParent = org.ipc4j.posix.internal.Spawner.pipe("bench pipe");
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", String.valueOf(childCpu)));
        cmd.addAll(PeerJvm.javaCommand(Peers.BareHotCallsPipeEcho.class, List.of(FOREIGN_FLAG, JNI_FLAG, FULL_JIT),
                List.of("3", "4", String.valueOf(WARMUP + ITERATIONS))));
        try (ChildProcess child = ChildProcess.builder(cmd).place(toChild[0], 3).place(toParent[1], 4)
                .stdin(ChildProcess.Stdio.PIPE).stdout(ChildProcess.Stdio.PIPE).start()) {
            org.ipc4j.posix.internal.Spawner.closeQuietly(toChild[0]);
            org.ipc4j.posix.internal.Spawner.closeQuietly(toParent[1]);
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
            if (!"READY".equals(lines.readLine())) {
                throw new AssertionError("peer did not start");
            }
            Affinity.pin(0);
            com.sun.jna.Memory buffer = new com.sun.jna.Memory(64);
            long b = com.sun.jna.Pointer.nativeValue(buffer);
            Object state = HotCalls.state();
            long[] t = new long[ITERATIONS];
            for (int i = 0; i < WARMUP + ITERATIONS; i++) {
                long start = System.nanoTime();
                if (HotCalls.write(state, toChild[1], b, 64) != 64) {
                    throw new IllegalStateException("write failed: errno " + HotCalls.errno(state));
                }
                readFully(state, toParent[0], b);
                if (i >= WARMUP) {
                    t[i - WARMUP] = System.nanoTime() - start;
                }
            }
            child.waitFor(TestSupport.PEER_TIMEOUT);
            return percentiles(t);
        } finally {
            Affinity.pin0and1();
            org.ipc4j.posix.internal.Spawner.closeQuietly(toChild[1]);
            org.ipc4j.posix.internal.Spawner.closeQuietly(toParent[0]);
        }
    }

    /** Reads 64 bytes from a blocking descriptor. */
    static void readFully(Object state, int fd, long buffer) {
        long got = 0;
        while (got < 64) {
            long n = HotCalls.read(state, fd, buffer + got, 64 - got);
            if (n <= 0) {
                throw new IllegalStateException("read returned " + n + ", errno " + HotCalls.errno(state));
            }
            got += n;
        }
    }

    private static double[] percentiles(long[] t) {
        Arrays.sort(t);
        return new double[] {t[t.length / 2] / 1000.0, t[t.length * 9 / 10] / 1000.0, t[t.length * 99 / 100] / 1000.0};
    }
}
