package org.ipc4j.testkit.mapped;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Received;

/**
 * The kit's own cross-process queue: slots in a file in {@code /dev/shm}, changed only under an
 * {@code fcntl} lock on the file (which the kernel drops when its holder dies), waited for by polling
 * every 50 microseconds. Test scope only; just enough to run the contract's peer JVM cases inside the
 * kit's own build.
 * <pre>
 * offset size  field
 *      0    4  count of used slots
 *      4    4  capacity (slots)
 *      8    4  maxMessageSize
 *     12    4  maxPriority
 *     16    8  arrival counter: the next message's arrival number
 *     64       slots, each SLOT_HEADER + maxMessageSize bytes:
 *              +0 used (0/1), +4 priority, +8 length, +16 arrival
 * </pre>
 */
final class QueueMapped implements MessageQueue {
    static final int MAX_PRIORITY = 31;
    private static final int COUNT = 0;
    private static final int CAPACITY = COUNT + 4;
    private static final int MAX_SIZE = CAPACITY + 4;
    private static final int MAX_PRIO = MAX_SIZE + 4;
    private static final int ARRIVAL = MAX_PRIO + 4;
    private static final int SLOTS = 64;
    private static final int SLOT_HEADER = 24;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** One lock per file in this JVM: the JVM refuses two overlapping file locks of its own. */
    private static final Map<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final String address;
    private final String name;
    private final Path path;
    private final FileChannel file;
    private final MappedByteBuffer map;
    private final ReentrantLock local;
    private final int capacity;
    private final int maxSize;
    private final int maxPriority;
    private volatile boolean closed;

    private QueueMapped(String address, String name, Path path, FileChannel file) throws IOException {
        this.address = address;
        this.name = name;
        this.path = path;
        this.file = file;
        this.map = file.map(FileChannel.MapMode.READ_WRITE, 0, file.size());
        map.order(ByteOrder.nativeOrder());
        this.capacity = map.getInt(CAPACITY);
        this.maxSize = map.getInt(MAX_SIZE);
        this.maxPriority = map.getInt(MAX_PRIO);
        this.local = LOCAL.computeIfAbsent(path.toAbsolutePath(), p -> new ReentrantLock());
    }

    static QueueMapped open(String address, String name, boolean create, int capacity, int maxSize) throws IOException {
        Path path = MappedFiles.path("queue", name);
        if (create && !Files.exists(path)) {
            MappedFiles.createWith(path, SLOTS + (long) capacity * (SLOT_HEADER + maxSize), 0, capacity, maxSize,
                    MAX_PRIORITY);
        }
        try {
            return new QueueMapped(address, name, path,
                    FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(address, "queue '" + name + "' does not exist; add ?create", e);
        }
    }

    private int slot(int i) {
        return SLOTS + i * (SLOT_HEADER + maxSize);
    }

    private void checkOpen() throws ChannelClosedException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
    }

    private interface Step<T> {
        T run() throws IOException;
    }

    /** Runs {@code step} under both locks until it returns non-null, or once if not blocking, or until the deadline. */
    private <T> T waitFor(Step<T> step, boolean blocking, long deadline, boolean timed) throws IOException {
        checkOpen();
        while (true) {
            T result;
            local.lock();
            try {
                if (closed) {
                    throw new AsyncClosedException(address);
                }
                FileLock lock = file.lock();
                try {
                    result = step.run();
                } finally {
                    lock.release();
                }
            } finally {
                local.unlock();
            }
            if (result != null || !blocking) {
                return result;
            }
            if (closed) {
                throw new AsyncClosedException(address);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("wait on queue '" + name + "' was interrupted; nothing was transferred");
            }
            if (timed && System.nanoTime() - deadline >= 0) {
                return null;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void checkSend(ByteBuffer message, int priority) throws IOException {
        checkOpen();
        if (priority < 0 || priority > maxPriority) {
            throw new IllegalArgumentException("priority must be 0 to " + maxPriority + ": priority=" + priority);
        }
        if (message.remaining() > maxSize) {
            throw new MessageTooLargeException(address, "message", message.remaining(), maxSize, false);
        }
    }

    /** Puts the message in a free slot; null if the queue is full. */
    private Boolean put(ByteBuffer message, int priority) {
        if (map.getInt(COUNT) >= capacity) {
            return null;
        }
        for (int i = 0; i < capacity; i++) {
            int s = slot(i);
            if (map.getInt(s) == 0) {
                int length = message.remaining();
                map.put(s + SLOT_HEADER, message, message.position(), length);
                map.putInt(s + 4, priority);
                map.putInt(s + 8, length);
                long arrival = map.getLong(ARRIVAL);
                map.putLong(ARRIVAL, arrival + 1);
                map.putLong(s + 16, arrival);
                map.putInt(s, 1); // used last: a holder killed before this leaves the slot free
                map.putInt(COUNT, map.getInt(COUNT) + 1);
                message.position(message.limit());
                return Boolean.TRUE;
            }
        }
        return null;
    }

    /** Takes the oldest message of the highest priority; null if the queue is empty. */
    private Received take(ByteBuffer dst) throws MessageTooLargeException {
        int best = -1;
        for (int i = 0; i < capacity; i++) {
            int s = slot(i);
            if (map.getInt(s) == 1) {
                if (best < 0) {
                    best = s;
                } else {
                    int p = map.getInt(s + 4);
                    int bp = map.getInt(best + 4);
                    if (p > bp || (p == bp && map.getLong(s + 16) < map.getLong(best + 16))) {
                        best = s;
                    }
                }
            }
        }
        if (best < 0) {
            return null;
        }
        int length = map.getInt(best + 8);
        if (length > dst.remaining()) {
            throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
        }
        dst.put(dst.position(), map, best + SLOT_HEADER, length);
        dst.position(dst.position() + length);
        map.putInt(best, 0);
        map.putInt(COUNT, map.getInt(COUNT) - 1);
        return new Received(length, map.getInt(best + 4));
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int maxMessageSize() {
        return maxSize;
    }

    @Override
    public int maxPriority() {
        return maxPriority;
    }

    @Override
    public int size() throws IOException {
        return waitFor(() -> map.getInt(COUNT), false, 0, false);
    }

    @Override
    public void send(ByteBuffer message, int priority) throws IOException {
        checkSend(message, priority);
        waitFor(() -> put(message, priority), true, 0, false);
    }

    @Override
    public void send(ByteBuffer message, int priority, Duration timeout) throws IOException {
        checkSend(message, priority);
        if (waitFor(() -> put(message, priority), true, System.nanoTime() + timeout.toNanos(), true) == null) {
            throw new IpcTimeoutException(address, "send", timeout);
        }
    }

    @Override
    public boolean trySend(ByteBuffer message, int priority) throws IOException {
        checkSend(message, priority);
        return waitFor(() -> put(message, priority), false, 0, false) != null;
    }

    @Override
    public Received receive(ByteBuffer dst) throws IOException {
        return waitFor(() -> take(dst), true, 0, false);
    }

    @Override
    public Received receive(ByteBuffer dst, Duration timeout) throws IOException {
        Received r = waitFor(() -> take(dst), true, System.nanoTime() + timeout.toNanos(), true);
        if (r == null) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        return r;
    }

    @Override
    public Optional<Received> tryReceive(ByteBuffer dst) throws IOException {
        return Optional.ofNullable(waitFor(() -> take(dst), false, 0, false));
    }

    @Override
    public void unlink() throws IOException {
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(address, "queue '" + name + "' was already removed", e);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        local.lock(); // let an operation in progress finish with the file
        try {
            file.close();
        } finally {
            local.unlock();
        }
    }
}
