package org.ipc4j.tools;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;

/**
 * Every mechanism the demo and the benchmark exercise: how the parent sets it up and opens its end,
 * how the peer opens the other end (from the arguments the parent sends it), and how everything made
 * is removed again.
 */
final class Mechanisms {
    /** Mechanism names in table order. */
    static final List<String> ALL = List.of("pipe", "fifo", "mq", "sysvmq", "shm-region", "shm-channel",
            "shm-queue", "sem", "sysvsem", "signal", "tcp", "udp", "unix", "unixgram");

    /** Descriptions for the table and --help. */
    static final Map<String, String> TITLES = new LinkedHashMap<>();

    static {
        TITLES.put("pipe", "anonymous pipe");
        TITLES.put("fifo", "named pipe (FIFO)");
        TITLES.put("mq", "POSIX message queue");
        TITLES.put("sysvmq", "SysV message queue");
        TITLES.put("shm-region", "shared region");
        TITLES.put("shm-channel", "shm channel");
        TITLES.put("shm-queue", "shm queue");
        TITLES.put("sem", "POSIX semaphore");
        TITLES.put("sysvsem", "SysV semaphore");
        TITLES.put("signal", "signal (SIGUSR1)");
        TITLES.put("tcp", "TCP socket");
        TITLES.put("udp", "UDP socket");
        TITLES.put("unix", "Unix stream socket");
        TITLES.put("unixgram", "Unix datagram socket");
    }

    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(20);

    private Mechanisms() {
    }

    /** The scheme whose provider a mechanism needs. */
    static String scheme(String mechanism) {
        switch (mechanism) {
            case "shm-region":
            case "shm-channel":
            case "shm-queue":
                return "shm";
            case "signal":
                return null;
            default:
                return mechanism;
        }
    }

    /** Why the mechanism cannot run with the providers on the class path, or null if it can. */
    static String unavailable(String mechanism) {
        if (mechanism.equals("pipe")) {
            return PipeMechanism.unavailable();
        }
        if (mechanism.equals("signal")) {
            try {
                Ipc.signals();
                return null;
            } catch (IpcUnavailableException e) {
                return "no provider offers signals (add ipc-posix)";
            }
        }
        return unavailableScheme(scheme(mechanism));
    }

    /** Why no provider serves {@code scheme}, or null if one does. */
    static String unavailableScheme(String scheme) {
        if (!Ipc.schemes().contains(scheme)) {
            String module = scheme.equals("shm") ? "ipc-shm" : List.of("tcp", "udp", "unix", "unixgram")
                    .contains(scheme) ? "ipc-socket" : "ipc-posix";
            return "no provider for scheme '" + scheme + ":' on the class path (add " + module + ")";
        }
        return null;
    }

    /**
     * The parent's side of one mechanism: made with {@link #setUp}, opened (maybe concurrently with the
     * peer) with {@link #open}, torn down with {@link #cleanUp} which removes everything it made.
     */
    abstract static class Parent implements AutoCloseable {
        final String name;
        final List<AutoCloseable> closeables = new ArrayList<>();
        final List<ThrowingRunnable> removals = new ArrayList<>();

        Parent(String name) {
            this.name = name;
        }

        /** Makes the objects the peer opens; returns the arguments the peer needs. */
        abstract List<String> setUp() throws IOException;

        /** The address shown in the table. */
        abstract String address();

        /** Opens the parent's endpoint; may wait for the peer. */
        abstract Endpoint open() throws IOException;

        /** True if messages carry bytes (not semaphores or signals). */
        boolean carriesData() {
            return true;
        }

        /** The largest payload the parent will use. */
        int maxPayload() {
            return Integer.MAX_VALUE;
        }

        /** Closes what the parent opened and removes every object it made. */
        @Override
        public void close() {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                try {
                    closeables.get(i).close();
                } catch (Exception e) {
                    // best effort: go on removing
                }
            }
            for (ThrowingRunnable r : removals) {
                try {
                    r.run();
                } catch (Exception e) {
                    // already gone
                }
            }
        }

        <T extends AutoCloseable> T keep(T c) {
            closeables.add(c);
            return c;
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The parent side of {@code mechanism}; {@code unique} makes names unique; {@code dir} holds files. */
    static Parent parent(String mechanism, String unique, Path dir, long peerPid) {
        switch (mechanism) {
            case "tcp":
                return listening(mechanism, "tcp://127.0.0.1:0");
            case "unix":
                return listening(mechanism, "unix:" + dir.resolve("unix.sock"));
            case "shm-channel":
                return listening(mechanism, "shm:/" + unique + "?create");
            case "udp":
                return new Parent(mechanism) {
                    String own;
                    String peer;

                    @Override
                    List<String> setUp() throws IOException {
                        int a = freeUdpPort();
                        int b = freeUdpPort();
                        own = "udp://127.0.0.1:" + b + "?bind=127.0.0.1:" + a;
                        peer = "udp://127.0.0.1:" + a + "?bind=127.0.0.1:" + b;
                        return List.of(peer);
                    }

                    @Override
                    String address() {
                        return own;
                    }

                    @Override
                    Endpoint open() throws IOException {
                        return keep(Endpoint.of(Ipc.connect(own)));
                    }

                    @Override
                    int maxPayload() {
                        return 65_000;
                    }
                };
            case "unixgram":
                return new Parent(mechanism) {
                    final String own = "unixgram:" + dir.resolve("gb.sock") + "?bind=" + dir.resolve("ga.sock");

                    @Override
                    List<String> setUp() {
                        removals.add(() -> Files.deleteIfExists(dir.resolve("ga.sock")));
                        removals.add(() -> Files.deleteIfExists(dir.resolve("gb.sock")));
                        return List.of("unixgram:" + dir.resolve("ga.sock") + "?bind=" + dir.resolve("gb.sock"));
                    }

                    @Override
                    String address() {
                        return own;
                    }

                    @Override
                    Endpoint open() throws IOException {
                        return keep(Endpoint.of(Ipc.connect(own)));
                    }

                    @Override
                    int maxPayload() {
                        return 60_000;
                    }
                };
            case "fifo":
                return new Parent(mechanism) {
                    final String path = dir.resolve("fifo").toString();

                    @Override
                    List<String> setUp() {
                        // a duplex pair: side a (here) writes path.a2b and reads path.b2a
                        removals.add(() -> Files.deleteIfExists(Path.of(path + ".a2b")));
                        removals.add(() -> Files.deleteIfExists(Path.of(path + ".b2a")));
                        return List.of("fifo:" + path + "?create&side=b");
                    }

                    @Override
                    String address() {
                        return "fifo:" + path;
                    }

                    @Override
                    Endpoint open() throws IOException {
                        org.ipc4j.Channel c = keep(Ipc.connect("fifo:" + path + "?create&side=a"));
                        if (!c.properties().contains(org.ipc4j.Channel.Property.BIDIRECTIONAL)) {
                            throw new IOException("the fifo: channel is one-way; the demo needs an echo");
                        }
                        return Endpoint.of(c);
                    }
                };
            case "mq":
            case "sysvmq":
            case "shm-queue":
                return queues(mechanism, unique);
            case "sem":
            case "sysvsem":
                return semaphores(mechanism, unique);
            case "shm-region":
                return new Parent(mechanism) {
                    final String address = "shm:/" + unique;

                    @Override
                    List<String> setUp() throws IOException {
                        SharedRegion r = keep(Ipc.openRegion(address + "?exclusive&size=256KiB"));
                        removals.add(r::unlink);
                        return List.of(address);
                    }

                    @Override
                    String address() {
                        return address;
                    }

                    @Override
                    Endpoint open() {
                        return new RegionEndpoint((SharedRegion) closeables.get(0), true);
                    }

                    @Override
                    int maxPayload() {
                        return RegionEndpoint.maxPayload((SharedRegion) closeables.get(0));
                    }
                };
            case "signal":
                return new Parent(mechanism) {
                    @Override
                    List<String> setUp() throws IOException {
                        keep(new SignalEndpoint(peerPid));
                        return List.of(Long.toString(ProcessHandle.current().pid()));
                    }

                    @Override
                    String address() {
                        return "SIGUSR1 <-> pid " + peerPid;
                    }

                    @Override
                    Endpoint open() {
                        return (Endpoint) closeables.get(0);
                    }

                    @Override
                    boolean carriesData() {
                        return false;
                    }
                };
            default:
                throw new IllegalArgumentException("unknown mechanism '" + mechanism + "'; accepted: " + ALL);
        }
    }

    private static Parent listening(String mechanism, String listenAddress) {
        return new Parent(mechanism) {
            ChannelListener listener;

            @Override
            List<String> setUp() throws IOException {
                listener = keep(Ipc.listen(listenAddress));
                if (mechanism.equals("shm-channel")) {
                    String base = IpcAddress.parse(listenAddress).name();
                    removals.add(() -> Files.deleteIfExists(IpcObjects.SHM.resolve(base.substring(1))));
                }
                return List.of(listener.address());
            }

            @Override
            String address() {
                return listener.address();
            }

            @Override
            Endpoint open() throws IOException {
                return keep(Endpoint.of(listener.accept(OPEN_TIMEOUT)));
            }
        };
    }

    private static Parent queues(String mechanism, String unique) {
        return new Parent(mechanism) {
            String a;
            String b;
            MessageQueue qa;
            MessageQueue qb;

            @Override
            List<String> setUp() throws IOException {
                String create;
                switch (mechanism) {
                    case "mq":
                        a = "mq:/" + unique + "-a";
                        b = "mq:/" + unique + "-b";
                        create = "?exclusive&capacity=10&maxMessageSize=8192";
                        break;
                    case "sysvmq":
                        int key = sysvKey(unique);
                        a = "sysvmq:0x" + Integer.toHexString(key);   // as ipc ls and ipc rm name it
                        b = "sysvmq:0x" + Integer.toHexString(key + 1);
                        create = "?exclusive";
                        break;
                    default:
                        a = "shm:/" + unique + "-qa";
                        b = "shm:/" + unique + "-qb";
                        create = "?exclusive&capacity=64&maxMessageSize=64KiB";
                }
                qa = keep(Ipc.openQueue(a + create));
                removals.add(qa::unlink);
                qb = keep(Ipc.openQueue(b + create));
                removals.add(qb::unlink);
                return List.of(a, b);
            }

            @Override
            String address() {
                return a + " " + b;
            }

            @Override
            Endpoint open() {
                return Endpoint.pair(Endpoint.of(qa), Endpoint.of(qb));
            }

            @Override
            int maxPayload() {
                return Math.min(qa.maxMessageSize(), qb.maxMessageSize());
            }
        };
    }

    private static Parent semaphores(String mechanism, String unique) {
        return new Parent(mechanism) {
            String a;
            String b;
            Semaphore sa;
            Semaphore sb;

            @Override
            List<String> setUp() throws IOException {
                if (mechanism.equals("sem")) {
                    a = "sem:/" + unique + "-a";
                    b = "sem:/" + unique + "-b";
                } else {
                    int key = sysvKey(unique) + 2;
                    a = "sysvsem:0x" + Integer.toHexString(key);
                    b = "sysvsem:0x" + Integer.toHexString(key + 1);
                }
                sa = keep(Ipc.openSemaphore(a + "?exclusive&initial=0"));
                removals.add(sa::unlink);
                sb = keep(Ipc.openSemaphore(b + "?exclusive&initial=0"));
                removals.add(sb::unlink);
                return List.of(a, b);
            }

            @Override
            String address() {
                return a + " " + b;
            }

            @Override
            Endpoint open() {
                return new SemaphoreEndpoint(sa, sb);
            }

            @Override
            boolean carriesData() {
                return false;
            }
        };
    }

    /** The peer's end, from the arguments {@link Parent#setUp()} returned. */
    static Endpoint peer(String mechanism, List<String> args, List<AutoCloseable> toClose) throws IOException {
        switch (mechanism) {
            case "tcp":
            case "unix":
            case "shm-channel":
            case "udp":
            case "unixgram":
            case "fifo":
                return Endpoint.of(Ipc.connect(args.get(0)));
            case "mq":
            case "sysvmq":
            case "shm-queue":
                return Endpoint.pair(Endpoint.of(Ipc.openQueue(args.get(1))), Endpoint.of(Ipc.openQueue(args.get(0))));
            case "sem":
            case "sysvsem":
                return new SemaphoreEndpoint(Ipc.openSemaphore(args.get(1)), Ipc.openSemaphore(args.get(0)));
            case "shm-region":
                SharedRegion r = Ipc.openRegion(args.get(0));
                toClose.add(r);
                return new RegionEndpoint(r, false);
            case "signal":
                return new SignalEndpoint(Long.parseLong(args.get(0)));
            default:
                throw new IllegalArgumentException("unknown mechanism '" + mechanism + "'");
        }
    }

    /** A SysV key from the unique name; the demo uses key..key+3. */
    static int sysvKey(String unique) {
        return 0x1c40000 + (int) ((ProcessHandle.current().pid() * 8 + (unique.hashCode() & 0x7)) & 0x3ffff) * 4;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** Handoffs through two semaphores: send releases one, receive acquires the other. */
    static final class SemaphoreEndpoint implements Endpoint {
        private final Semaphore out;
        private final Semaphore in;

        SemaphoreEndpoint(Semaphore out, Semaphore in) {
            this.out = out;
            this.in = in;
        }

        @Override
        public void send(ByteBuffer message, Duration timeout) throws IOException {
            message.position(message.limit());
            out.release();
        }

        @Override
        public int receive(ByteBuffer dst, Duration timeout) throws IOException {
            if (!in.tryAcquire(timeout == null ? Duration.ofDays(1) : timeout)) {
                throw new IpcTimeoutException(in.address(), "acquire", timeout);
            }
            return 0;
        }

        @Override
        public int maxMessageSize() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } finally {
                in.close();
            }
        }
    }

    /** Handoffs by SIGUSR1 each way. */
    static final class SignalEndpoint implements Endpoint {
        private final long target;
        private final java.util.concurrent.Semaphore arrived = new java.util.concurrent.Semaphore(0);
        private final SignalRegistration registration;

        SignalEndpoint(long target) throws IOException {
            this.target = target;
            this.registration = Ipc.signals().handle(Signal.USR1, s -> arrived.release());
        }

        @Override
        public void send(ByteBuffer message, Duration timeout) throws IOException {
            message.position(message.limit());
            Ipc.signals().send(target, Signal.USR1);
        }

        @Override
        public int receive(ByteBuffer dst, Duration timeout) throws IOException {
            try {
                if (!arrived.tryAcquire(timeout == null ? Long.MAX_VALUE : timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new IpcTimeoutException("SIGUSR1", "wait for a signal", timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for SIGUSR1");
            }
            return 0;
        }

        @Override
        public int maxMessageSize() {
            return 0;
        }

        @Override
        public void close() {
            registration.close();
        }
    }

    /**
     * Messages through a shared region: two slots (parent to peer at 0, peer to parent at half the size),
     * each a sequence number (written last, with release), a length, and the payload at +64.
     */
    static final class RegionEndpoint implements Endpoint {
        private final SharedRegion region;
        private final long outSlot;
        private final long inSlot;
        private long sent;
        private long received;

        RegionEndpoint(SharedRegion region, boolean parent) {
            this.region = region;
            long half = region.size() / 2 & ~63L;
            this.outSlot = parent ? 0 : half;
            this.inSlot = parent ? half : 0;
        }

        static int maxPayload(SharedRegion r) {
            return (int) Math.min(Integer.MAX_VALUE, (r.size() / 2 & ~63L) - 64);
        }

        @Override
        public void send(ByteBuffer message, Duration timeout) {
            int n = message.remaining();
            if (n > maxMessageSize()) {
                throw new IllegalArgumentException("message of " + n + " bytes exceeds the region slot of "
                        + maxMessageSize());
            }
            region.putInt(outSlot + 8, n);
            region.write(outSlot + 64, message);
            region.putLongRelease(outSlot, ++sent);
        }

        @Override
        public int receive(ByteBuffer dst, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + (timeout == null ? Long.MAX_VALUE / 2 : timeout.toNanos());
            long want = received + 1;
            int spins = 0;
            while (region.getLongAcquire(inSlot) < want) {
                if (++spins < 2000) {
                    Thread.onSpinWait();
                } else if (spins < 4000) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(20_000);
                    if (System.nanoTime() - deadline > 0) {
                        throw new IpcTimeoutException(region.address(), "receive", timeout);
                    }
                }
            }
            received = want;
            int n = region.getInt(inSlot + 8);
            ByteBuffer slice = dst.duplicate();
            slice.limit(slice.position() + n);
            region.read(inSlot + 64, slice);
            dst.position(dst.position() + n);
            return n;
        }

        @Override
        public int maxMessageSize() {
            return maxPayload(region);
        }

        @Override
        public void close() {
            // the region is closed by its owner
        }
    }
}
