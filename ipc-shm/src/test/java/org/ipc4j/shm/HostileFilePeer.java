package org.ipc4j.shm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.MessageQueue;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/**
 * Writes random bytes over shm region, queue and channel files and then uses them, for
 * {@link HostileFileTest}. Runs in its own JVM so that a crash (SIGBUS, SIGSEGV) shows as its exit
 * status rather than killing the test JVM.
 *
 * <p>args: seed, rounds per kind. Each operation may end normally or with an {@link IpcException};
 * anything else is printed as {@code UNEXPECTED}, an operation that outlives its timeout by seconds
 * as {@code HANG}. The last line is {@code DONE} with how often each outcome was seen.
 */
public final class HostileFilePeer {
    private static final Duration SHORT = Duration.ofMillis(5);
    private static final long HANG_NANOS = 5_000_000_000L;
    /** Values that break size and position arithmetic when written into a field. */
    private static final long[] EDGES = {0, 1, -1, 7, 8, 63, 64, 4096, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE + 1L, 0xFFFF_FFFFL, 1L << 40, 1L << 45, (1L << 45) - 1, Long.MAX_VALUE, Long.MIN_VALUE};

    private final Random random;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private String kind;
    /** Prints where the main thread is if an operation outlives {@link #HANG_NANOS}. */
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostile-watchdog");
        t.setDaemon(true);
        return t;
    });

    private HostileFilePeer(long seed) {
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        HostileFilePeer peer = new HostileFilePeer(seed);
        PeerMain.ready();
        String prefix = "ipc4j-h-" + ProcessHandle.current().pid() + "-";
        for (int i = 0; i < rounds; i++) {
            peer.region(prefix + "r" + i);
            peer.queue(prefix + "q" + i);
            peer.channel(prefix + "c" + i);
        }
        PeerMain.say("DONE " + peer.outcomes);
    }

    private void region(String name) throws IOException {
        kind = "region";
        Path path = Names.path(name);
        try {
            try (SharedRegion r = Ipc.openRegion("shm:/" + name + "?create&size=" + (64 + random.nextInt(4096)))) {
                r.putLong(0, 42);
            }
            corrupt(path, true);
            attempt("open region", () -> {
                try (SharedRegion r = Ipc.openRegion("shm:/" + name)) {
                    long size = r.size();
                    if (size >= 16) {
                        long offset = random.nextInt((int) Math.min(size - 8, 1 << 20)) & ~7;
                        r.getAndAddLong(offset, 1);
                        r.putLongRelease(offset, r.getLongAcquire(offset));
                    }
                }
            });
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private void queue(String name) throws IOException {
        kind = "queue";
        Path path = Names.path(name);
        try {
            int capacity = 1 + random.nextInt(16);
            try (MessageQueue q = Ipc.openQueue("shm:/" + name + "?create&capacity=" + capacity
                    + "&maxMessageSize=" + (16 + random.nextInt(256)) + "&unblockTimeout=10ms")) {
                for (int i = random.nextInt(capacity + 1); i > 0; i--) {
                    q.trySend(message(16), 0);
                }
            }
            corrupt(path, true);
            attempt("open queue", () -> {
                try (MessageQueue q = Ipc.openQueue("shm:/" + name + "?wait=block")) {
                    ByteBuffer into = ByteBuffer.allocate(256);
                    attempt("queue trySend", () -> q.trySend(message(random.nextInt(64)), 0));
                    attempt("queue tryReceive", () -> q.tryReceive(into.clear()));
                    attempt("queue receive", () -> q.receive(into.clear(), SHORT));
                    attempt("queue send", () -> q.send(message(random.nextInt(64)), 0, SHORT));
                    attempt("queue size", q::size);
                }
            });
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private void channel(String name) throws IOException {
        kind = "channel";
        Path path = Names.path(name);
        try (ChannelListener listener = Ipc.listen("shm:/" + name + "?capacity=" + (256 << random.nextInt(4))
                + "&wait=block")) {
            // the listener keeps this file mapped: change its bytes, never its length
            corrupt(path, false);
            attempt("connect channel", () -> {
                try (Channel client = Ipc.connect("shm:/" + name + "?timeout=50ms&wait=block")) {
                    Channel server = listener.accept(Duration.ofSeconds(2));
                    try {
                        for (Channel c : new Channel[] {client, server}) {
                            ByteBuffer into = ByteBuffer.allocate(c.maxMessageSize());
                            attempt("channel receive", () -> c.receive(into.clear(), SHORT));
                            attempt("channel receive", () -> c.receive(into.clear(), SHORT));
                            attempt("channel send", () -> c.send(message(random.nextInt(c.maxMessageSize() + 1)), SHORT));
                        }
                    } finally {
                        server.close();
                    }
                }
            });
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private ByteBuffer message(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /**
     * Writes random bytes, or an edge value into an aligned word of the first kilobyte (where every
     * header and counter lives), once to a few times; may also cut or grow the file.
     */
    private void corrupt(Path path, boolean mayResize) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            long size = file.length();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                if (random.nextBoolean()) {
                    long offset = random.nextInt((int) Math.min(size, 1024) / 4) * 4L;
                    long value = random.nextBoolean() ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
                    ByteBuffer word = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).flip();
                    word.limit(random.nextBoolean() || offset + 8 > size ? 4 : 8);
                    file.getChannel().write(word, offset);
                } else {
                    byte[] noise = new byte[1 + random.nextInt(64)];
                    random.nextBytes(noise);
                    file.getChannel().write(ByteBuffer.wrap(noise), random.nextLong(Math.max(1, size)));
                }
            }
            if (mayResize && random.nextInt(8) == 0) {
                file.setLength(random.nextLong(size * 2 + 1));
            }
        }
    }

    /** An operation on a damaged object; what it may throw is an {@link IpcException}. */
    private interface Operation {
        void run() throws Exception;
    }

    private void attempt(String what, Operation operation) {
        Thread main = Thread.currentThread();
        String where = kind + " " + what;
        ScheduledFuture<?> alarm = watchdog.schedule(() -> {
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : main.getStackTrace()) {
                stack.append(" <- ").append(e);
            }
            PeerMain.say("HANG " + where + " still running:" + stack);
        }, HANG_NANOS, TimeUnit.NANOSECONDS);
        String outcome;
        try {
            operation.run();
            outcome = "ok";
        } catch (IOException e) {
            outcome = e.getClass().getSimpleName();
            if (!e.getClass().getPackageName().equals(IpcException.class.getPackageName())) {
                PeerMain.say("UNEXPECTED " + kind + " " + what + ": " + e);
            }
            if (e.getMessage() == null || e.getMessage().isEmpty()) {
                PeerMain.say("UNEXPECTED " + kind + " " + what + ": " + outcome + " without a message");
            }
        } catch (Throwable t) {
            outcome = t.getClass().getSimpleName();
            PeerMain.say("UNEXPECTED " + kind + " " + what + ": " + t);
            t.printStackTrace();
        }
        alarm.cancel(false);
        outcomes.merge(kind + " " + what + " " + outcome, 1, Integer::sum);
    }
}
