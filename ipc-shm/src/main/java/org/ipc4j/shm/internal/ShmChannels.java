package org.ipc4j.shm.internal;

import static org.ipc4j.shm.internal.ChannelLayout.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import net.openhft.chronicle.bytes.BytesStore;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rendezvous for shm channels. The listener keeps a channel file at {@code /dev/shm/name} and holds
 * its {@link ChannelLayout#SERVER_LOCK}. A client opens it, takes {@link ChannelLayout#CLIENT_LOCK}
 * and sets {@code connected}; {@code accept} hands that file to the server end, then builds a fresh
 * file and renames it over the name for the next client. Connected channels' files thus have no
 * name: they vanish when both ends close.
 */
public final class ShmChannels {
    private static final Logger LOG = LoggerFactory.getLogger(ShmChannels.class);
    /** Keys for connect: an end's options. */
    static final String[] CONNECT_KEYS = EndOptions.KEYS;
    /** Keys for listen: the ring's sizes, then the listening end's options. */
    static final String[] LISTEN_KEYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("capacity", "maxMessageSize"), java.util.Arrays.stream(EndOptions.KEYS))
            .toArray(String[]::new);
    /** Default connect timeout. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private ShmChannels() {
    }

    /** {@code Ipc.listen("shm:/name?capacity=64KiB&maxMessageSize=…&wait=…")}. */
    public static ChannelListener listen(IpcAddress address) throws IOException {
        address.checkKeys(LISTEN_KEYS);
        String path = ShmNames.path(address);
        long capacity = address.size("capacity", DEFAULT_CAPACITY);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Long.bitCount(capacity) != 1) {
            throw address.invalid("capacity", "capacity must be a power of two from " + MIN_CAPACITY + " to "
                    + MAX_CAPACITY + " bytes: capacity=" + capacity);
        }
        long ringMax = maxMessageFor(capacity);
        long maxMessage = address.size("maxMessageSize", ringMax);
        if (maxMessage < 0 || maxMessage > ringMax) {
            throw address.invalid("maxMessageSize", "maxMessageSize must be 0 to " + ringMax
                    + " (capacity / 2 - 8, what a ring of capacity=" + capacity + " can always hold): maxMessageSize="
                    + maxMessage);
        }
        EndOptions options = EndOptions.of(address);
        int mode = address.mode();
        String object = address.text();
        ShmFile file;
        try {
            file = createRendezvous(object, path, capacity, (int) maxMessage, mode, false);
        } catch (ObjectExistsException e) {
            if (address.exclusive()) {
                throw new ObjectExistsException(object, "'" + object + "' already exists (" + path
                        + ") and exclusive was given", e);
            }
            if (liveListener(object, path)) {
                throw new ObjectExistsException(object, "'" + object + "' is in use by a live listener (" + path
                        + ")", e);
            }
            LOG.debug("replacing {} left by a listener that died", path);
            file = createRendezvous(object, path, capacity, (int) maxMessage, mode, true);
        }
        return new Listener(object, "shm:" + address.name(), file, capacity, (int) maxMessage, mode, options);
    }

    /**
     * Whether the file at {@code path} is a live listener's. Only a channel file whose listener died
     * may be replaced: anything that does not open as one (a symbolic or hard link, a file of another
     * kind or layout) is refused with the reason, and left alone.
     */
    private static boolean liveListener(String object, String path) throws IOException {
        ShmFile old;
        try {
            old = ShmFile.open(object, path, RegionLayout.HEADER_SIZE);
        } catch (ObjectNotFoundException e) {
            return false;  // gone meanwhile: the replacing rename simply creates it
        }
        try {
            Header.check(object, old, RegionLayout.KIND_CHANNEL);
            return old.isLockedByOther(SERVER_LOCK);
        } catch (IOException e) {
            throw new IpcException(object, "refusing to listen at '" + object + "': " + path
                    + " exists and is not a channel file left by a listener that died (" + e.getMessage()
                    + "); remove it or choose another name", e);
        } finally {
            old.close();
        }
    }

    private static ShmFile createRendezvous(String object, String path, long capacity, int maxMessage, int mode,
            boolean replace) throws IOException {
        return ShmFile.create(object, path, fileSize(capacity), mode, replace, SERVER_LOCK, m -> {
            BytesStore<?, ?> b = m.bytes();
            b.writeLong(CAPACITY_OFFSET, capacity);
            b.writeInt(MAX_MESSAGE_OFFSET, maxMessage);
            Header.write(m, RegionLayout.KIND_CHANNEL, 0);
        });
    }

    /** {@code Ipc.connect("shm:/name?wait=…&timeout=…")}. */
    public static Channel connect(IpcAddress address) throws IOException {
        address.checkKeys(CONNECT_KEYS);
        String path = ShmNames.path(address);
        EndOptions options = EndOptions.of(address);
        Duration timeout = address.timeout(CONNECT_TIMEOUT);
        String object = address.text();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ShmFile file = ShmFile.open(object, path, RegionLayout.HEADER_SIZE);
            boolean ok = false;
            try {
                Header.check(object, file, RegionLayout.KIND_CHANNEL);
                long capacity = file.mapping().bytes().readLong(CAPACITY_OFFSET);
                if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Long.bitCount(capacity) != 1
                        || file.size() != fileSize(capacity)) {
                    throw new IpcProtocolException(object, path + " has capacity=" + capacity + ", which is not a"
                            + " power of two from " + MIN_CAPACITY + " to " + MAX_CAPACITY + " matching its size="
                            + file.size());
                }
                int maxMessage = file.mapping().bytes().readInt(MAX_MESSAGE_OFFSET);
                if (maxMessage < 0 || maxMessage > maxMessageFor(capacity)) {
                    throw new IpcProtocolException(object, path + " has maxMessageSize=" + maxMessage + ", outside 0 to "
                            + maxMessageFor(capacity) + " that its capacity=" + capacity + " allows");
                }
                if (file.tryLock(CLIENT_LOCK)) {
                    if (!file.isLockedByOther(SERVER_LOCK)) {
                        throw new ObjectNotFoundException(object, "no live listener at '" + object + "' (" + path
                                + " is left from a listener that died)");
                    }
                    if (file.mapping().bytes().compareAndSwapInt(CONNECTED_OFFSET, 0, 1)) {
                        Futex.wakeAll(file.mapping().address() + CONNECTED_OFFSET);
                        ok = true;
                        return new ShmChannel(object, file, false, options);
                    }
                }
            } finally {
                if (!ok) {
                    file.close();
                }
            }
            // another client holds this file; the listener renames a fresh one in when it accepts
            if (System.nanoTime() - deadline >= 0) {
                throw new IpcTimeoutException(object, "connect", timeout);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("connect to '" + object + "' interrupted");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The listening end. */
    static final class Listener implements ChannelListener {
        private final String object;
        private final String address;
        private final long capacity;
        private final int maxMessage;
        private final int mode;
        private final EndOptions options;
        private final ReentrantLock acceptLock = new ReentrantLock();
        private final Futex futex = new Futex();
        private ShmFile file;
        private volatile boolean closed;

        Listener(String object, String address, ShmFile file, long capacity, int maxMessage, int mode,
                EndOptions options) {
            this.object = object;
            this.address = address;
            this.file = file;
            this.capacity = capacity;
            this.maxMessage = maxMessage;
            this.mode = mode;
            this.options = options;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public Channel accept() throws IOException {
            return accept(Long.MAX_VALUE, null);
        }

        @Override
        public Channel accept(Duration timeout) throws IOException {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be >= 0: timeout=" + timeout);
            }
            long nanos;
            try {
                nanos = timeout.toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE;
            }
            return accept(nanos, timeout);
        }

        private Channel accept(long timeoutNanos, Duration timeout) throws IOException {
            if (closed) {
                throw new ChannelClosedException(address);
            }
            long start = System.nanoTime();
            try {
                if (!acceptLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                    throw new IpcTimeoutException(address, "accept", timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("accept on '" + address + "' interrupted");
            }
            try {
                while (true) {
                    if (closed) {
                        throw new AsyncClosedException(address);
                    }
                    BytesStore<?, ?> b = file.mapping().bytes();
                    if (b.readVolatileInt(CONNECTED_OFFSET) == 1) {   // pairs with the client's CAS
                        ShmFile connected = file;
                        file = createRendezvous(object, connected.path(), capacity, maxMessage, mode, true);
                        return new ShmChannel(address, connected, true, options);
                    }
                    long now = System.nanoTime();
                    if (now - start >= timeoutNanos) {
                        throw new IpcTimeoutException(address, "accept", timeout);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("accept on '" + address + "' interrupted");
                    }
                    futex.await(file.mapping().address() + CONNECTED_OFFSET, 0, timeoutNanos - (now - start));
                }
            } finally {
                acceptLock.unlock();
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            Futex.wakeAll(file.mapping().address() + CONNECTED_OFFSET);
            acceptLock.lock();
            try {
                file.unlinkIfOurs();
                file.close();
            } finally {
                acceptLock.unlock();
            }
        }

        @Override
        public String toString() {
            return "ShmListener[" + address + (closed ? ", closed]" : "]");
        }
    }
}
