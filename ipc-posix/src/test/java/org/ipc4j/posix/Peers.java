package org.ipc4j.posix;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;
import org.ipc4j.Semaphore;
import org.ipc4j.Signal;
import org.ipc4j.testkit.PeerMain;

/** Main classes that peer JVMs run. */
public final class Peers {
    private Peers() {
    }

    /**
     * args: queue, reply queue, count. Receives count messages and sends each back with its priority;
     * like the C echo child, it waits untimed and reuses one buffer.
     */
    public static final class QueueEcho {
        private QueueEcho() {
        }

        public static void main(String[] args) throws Exception {
            try (MessageQueue in = Ipc.openQueue(args[0]); MessageQueue out = Ipc.openQueue(args[1])) {
                PeerMain.ready();
                int n = Integer.parseInt(args[2]);
                ByteBuffer b = ByteBuffer.allocateDirect(in.maxMessageSize());
                for (int i = 0; i < n; i++) {
                    b.clear();
                    Received r = in.receive(b);
                    b.flip();
                    out.send(b, r.priority());
                }
            }
        }
    }

    /**
     * args: ping queue name, pong queue name, count, then "jna" or "hot". Echoes untimed, with
     * no checks, through bare JNA calls or through {@code HotCalls} (JNI, or foreign calls on JDK 24+): the
     * floors under the benchmark's Java queue rows.
     */
    public static final class BareQueueEcho {
        private BareQueueEcho() {
        }

        /** Opens an existing queue for a blocking send and receive. */
        static int open(String name) {
            int mqd = org.ipc4j.posix.internal.LibC.mq_open(name, org.ipc4j.posix.internal.LibC.O_RDWR, 0, 0L);
            if (mqd < 0) {
                throw new IllegalStateException("mq_open(" + name + ") failed: errno " + org.ipc4j.posix.internal.LibC.errno());
            }
            return mqd;
        }

        /** One echo: receive into {@code b}, send it back; false if either call failed. */
        static boolean echo(boolean hot, Object state, int in, int out, long b, long p) {
            if (hot) {
                long n = org.ipc4j.posix.internal.HotCalls.mqTimedReceive(state, in, b, 64, p, 0L);
                return n >= 0 && org.ipc4j.posix.internal.HotCalls.mqTimedSend(state, out, b, n, 0, 0L) == 0;
            }
            long n = org.ipc4j.posix.internal.LibC.mq_timedreceive(in, b, 64, p, 0L);
            return n >= 0 && org.ipc4j.posix.internal.LibC.mq_timedsend(out, b, n, 0, 0L) == 0;
        }

        public static void main(String[] args) {
            int in = open(args[0]);
            int out = open(args[1]);
            boolean hot = args[3].equals("hot");
            com.sun.jna.Memory buffer = new com.sun.jna.Memory(64);
            com.sun.jna.Memory priority = new com.sun.jna.Memory(8);
            long b = com.sun.jna.Pointer.nativeValue(buffer);
            long p = com.sun.jna.Pointer.nativeValue(priority);
            Object state = org.ipc4j.posix.internal.HotCalls.state();
            PeerMain.ready();
            for (int i = Integer.parseInt(args[2]); i > 0; i--) {
                if (!echo(hot, state, in, out, b, p)) {
                    throw new IllegalStateException("mq call failed: errno "
                            + (hot ? org.ipc4j.posix.internal.HotCalls.errno(state) : org.ipc4j.posix.internal.LibC.errno()));
                }
            }
        }
    }

    /**
     * args: a unique name. Checks, with the untimed wait unavailable (turned off by property, or the
     * wake signal made to restart calls when {@code -Dipc4j.test.restartWakeSignal=true}), that close
     * and interrupt still end untimed receives on a pipe and a queue; says {@code available=...} first
     * and {@code DONE} at the end.
     */
    public static final class UntimedWaitFallback {
        private static final int WAKE_SIGNAL = 64 - 2;
        private static final int SA_RESTART = 0x10000000;
        private static final int SIGACTION_FLAGS = 8 + 128;

        private UntimedWaitFallback() {
        }

        public static void main(String[] args) throws Exception {
            if (Boolean.getBoolean("ipc4j.test.restartWakeSignal")) {
                restartWakeSignal();
            }
            PeerMain.ready();
            PeerMain.say("available=" + org.ipc4j.posix.internal.BlockingCall.available());
            int[] p = new int[2];
            if (org.ipc4j.posix.internal.LibC.pipe2(p, org.ipc4j.posix.internal.LibC.O_CLOEXEC) != 0) {
                throw new IllegalStateException("pipe2 failed");
            }
            org.ipc4j.Channel writer = org.ipc4j.posix.internal.PipeChannel.of("pipe:fallback-w", -1, p[1], true, 64);
            org.ipc4j.Channel reader = org.ipc4j.posix.internal.PipeChannel.of("pipe:fallback-r", p[0], -1, true, 64);
            ByteBuffer b = ByteBuffer.allocate(64);
            UntimedWaitTest.interruptEnds("pipe receive", () -> reader.receive(b), java.util.List.of());
            UntimedWaitTest.closeEnds("pipe receive", () -> reader.receive(b), reader, java.util.List.of());
            writer.close();
            String name = "/" + args[0];
            try (MessageQueue q = Ipc.openQueue("mq:" + name + "?create&capacity=1&maxMessageSize=64")) {
                UntimedWaitTest.interruptEnds("queue receive", () -> q.receive(b), java.util.List.of());
                UntimedWaitTest.closeEnds("queue receive", () -> q.receive(b), q, java.util.List.of());
            } finally {
                org.ipc4j.posix.internal.PosixMessageQueue.unlink(name);
            }
            PeerMain.say("DONE");
        }

        /** Adds SA_RESTART to the JDK's handler of its wake signal, before ipc4j looks at it. */
        private static void restartWakeSignal() throws Exception {
            Class.forName("sun.nio.ch.NativeThread", true, ClassLoader.getPlatformClassLoader());
            try (com.sun.jna.Memory action = new com.sun.jna.Memory(152)) {
                action.clear();
                long address = com.sun.jna.Pointer.nativeValue(action);
                if (org.ipc4j.posix.internal.LibC.sigaction(WAKE_SIGNAL, 0L, address) != 0) {
                    throw new IllegalStateException("sigaction failed");
                }
                action.setInt(SIGACTION_FLAGS, action.getInt(SIGACTION_FLAGS) | SA_RESTART);
                if (org.ipc4j.posix.internal.LibC.sigaction(WAKE_SIGNAL, address, 0L) != 0) {
                    throw new IllegalStateException("sigaction failed");
                }
            }
        }
    }

    /**
     * args: read descriptor, write descriptor, count. Echoes 64-byte messages with blocking
     * {@code read}/{@code write} through {@code HotCalls}, no framing, no checks: the floor of the
     * benchmark's Java pipe row (JNI, or foreign calls on JDK 24+).
     */
    public static final class BareHotCallsPipeEcho {
        private BareHotCallsPipeEcho() {
        }

        public static void main(String[] args) {
            int in = Integer.parseInt(args[0]);
            int out = Integer.parseInt(args[1]);
            com.sun.jna.Memory buffer = new com.sun.jna.Memory(64);
            long b = com.sun.jna.Pointer.nativeValue(buffer);
            Object state = org.ipc4j.posix.internal.HotCalls.state();
            PeerMain.ready();
            for (int i = Integer.parseInt(args[2]); i > 0; i--) {
                RoundTripBenchmark.readFully(state, in, b);
                if (org.ipc4j.posix.internal.HotCalls.write(state, out, b, 64) != 64) {
                    throw new IllegalStateException("write failed: errno " + org.ipc4j.posix.internal.HotCalls.errno(state));
                }
            }
        }
    }

    /** args: queue. Blocks in receive until killed. */
    public static final class QueueBlockedReceiver {
        private QueueBlockedReceiver() {
        }

        public static void main(String[] args) throws Exception {
            try (MessageQueue in = Ipc.openQueue(args[0])) {
                PeerMain.ready();
                PeerMain.say("RECEIVING");
                Received r = in.receive(ByteBuffer.allocate(in.maxMessageSize()));
                PeerMain.say("UNEXPECTED " + r);
            }
        }
    }

    /** args: semaphore. Acquires one permit, says HELD, then waits to be killed. */
    public static final class SemaphoreHolder {
        private SemaphoreHolder() {
        }

        public static void main(String[] args) throws Exception {
            try (Semaphore s = Ipc.openSemaphore(args[0])) {
                s.acquire();
                PeerMain.ready();
                PeerMain.say("HELD");
                PeerMain.nextLine(Duration.ofMinutes(5));
            }
        }
    }

    /** args: semaphore, count. Releases count permits, one per parent line "release". */
    public static final class SemaphoreReleaser {
        private SemaphoreReleaser() {
        }

        public static void main(String[] args) throws Exception {
            try (Semaphore s = Ipc.openSemaphore(args[0])) {
                PeerMain.ready();
                int n = Integer.parseInt(args[1]);
                for (int i = 0; i < n; i++) {
                    PeerMain.nextLine(Duration.ofSeconds(30));
                    s.release();
                    PeerMain.say("RELEASED " + (i + 1));
                }
            }
        }
    }

    /** args: signal name. Installs a handler, prints READY, then prints GOT name for each delivery until a line "stop". */
    public static final class SignalCatcher {
        private SignalCatcher() {
        }

        public static void main(String[] args) throws Exception {
            Signal sig = Signal.valueOf(args[0]);
            try (var reg = Ipc.signals().handle(sig, s -> PeerMain.say("GOT " + s.name()))) {
                PeerMain.say("INSTALLED " + reg.signal());
                PeerMain.ready();
                PeerMain.nextLine(Duration.ofSeconds(60));
            }
            PeerMain.say("CLOSED");
            PeerMain.nextLine(Duration.ofSeconds(60));
        }
    }

    /** Tries to handle TERM (run under -Xrs) and prints REFUSED type: message, or INSTALLED. */
    public static final class HandleTerm {
        private HandleTerm() {
        }

        public static void main(String[] args) throws Exception {
            try (var r = Ipc.signals().handle(Signal.TERM, s -> { })) {
                PeerMain.say("INSTALLED " + r.signal());
            } catch (java.io.IOException e) {
                PeerMain.say("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}
