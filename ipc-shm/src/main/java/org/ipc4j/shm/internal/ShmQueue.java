package org.ipc4j.shm.internal;

import static org.ipc4j.shm.internal.QueueLayout.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import net.openhft.chronicle.bytes.BytesStore;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Received;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.shm.ShmMessageQueue;

/**
 * A many-producer many-consumer queue over {@link QueueLayout}. Producers claim a slot by CAS on its
 * state, write, then publish by CAS; consumers take a published slot by CAS, copy, then free it.
 * A claim whose owner died (its lock is free) or made no progress for {@code unblockTimeout} is
 * revoked by the consumer that waits on it; see {@link ShmMessageQueue#lostClaims()}.
 */
public final class ShmQueue implements ShmMessageQueue {
    /** Largest maxMessageSize: 64 MiB. */
    static final int MAX_MESSAGE = 64 * 1024 * 1024;
    static final String[] KEYS = {"capacity", "maxMessageSize", "unblockTimeout", "wait"};
    static final Duration DEFAULT_UNBLOCK = Duration.ofSeconds(10);
    /** A claim seen this long is checked for a dead owner. */
    private static final long LIVENESS_CHECK_NANOS = 1_000_000;

    private static final int EMPTY = -2;

    private final String address;
    private final ShmFile file;
    private final BytesStore<?, ?> bytes;
    private final long base;
    private final int capacity;
    private final int maxMessageSize;
    private final int slotSize;
    private final long unblockNanos;
    private final int owner;
    private final WaitStrategy wait;
    private final ByteBuffer slots;
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** Takes the sizes that {@link #open} checked, never reading them again from a file others can write. */
    private ShmQueue(String address, ShmFile file, int owner, WaitStrategy wait, int capacity, int maxMessageSize) {
        this.address = address;
        this.file = file;
        this.bytes = file.mapping().bytes();
        this.base = file.mapping().address();
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.slotSize = slotSize(maxMessageSize);
        this.unblockNanos = bytes.readLong(UNBLOCK_OFFSET);
        this.owner = owner;
        this.wait = wait;
        this.slots = file.mapping().buffer(SLOTS, (int) Math.min(Integer.MAX_VALUE, file.size() - SLOTS));
    }

    /** Opens or creates the queue an address names. */
    public static ShmQueue open(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        String object = address.text();
        String path = ShmNames.path(address);
        long capacity = address.integer("capacity", DEFAULT_CAPACITY, 1, MAX_CAPACITY);
        long maxMessage = address.size("maxMessageSize", DEFAULT_MAX_MESSAGE);
        if (maxMessage < 1 || maxMessage > MAX_MESSAGE) {
            throw address.invalid("maxMessageSize", "maxMessageSize must be 1 to 64MiB: maxMessageSize=" + maxMessage);
        }
        Duration unblock = address.duration("unblockTimeout", DEFAULT_UNBLOCK);
        if (unblock.isNegative() || unblock.isZero()) {
            throw address.invalid("unblockTimeout", "unblockTimeout must be > 0: unblockTimeout=" + unblock);
        }
        WaitStrategy wait = WaitStrategy.of(address);
        if (fileSize((int) capacity, (int) maxMessage) - SLOTS > Integer.MAX_VALUE) {
            throw address.invalid("capacity", "capacity * slot size must stay within 2GiB for a shm queue: capacity="
                    + capacity + " with maxMessageSize=" + maxMessage + " takes "
                    + (fileSize((int) capacity, (int) maxMessage) - SLOTS) + " bytes; lower one of them");
        }
        ShmFile file = null;
        if (address.create()) {
            long size = fileSize((int) capacity, (int) maxMessage);
            try {
                file = ShmFile.create(object, path, size, address.mode(), false, -1, m -> {
                    BytesStore<?, ?> b = m.bytes();
                    b.writeInt(CAPACITY_OFFSET, (int) capacity);
                    b.writeInt(MAX_MESSAGE_OFFSET, (int) maxMessage);
                    b.writeInt(SLOT_SIZE_OFFSET, slotSize((int) maxMessage));
                    b.writeLong(UNBLOCK_OFFSET, unblock.toNanos());
                    for (int i = 0; i < capacity; i++) {
                        b.writeLong(SLOTS + (long) i * slotSize((int) maxMessage), state(i, NO_OWNER, FREE));
                    }
                    Header.write(m, RegionLayout.KIND_QUEUE, 0);
                });
            } catch (ObjectExistsException e) {
                if (address.exclusive()) {
                    throw e;
                }
            }
        }
        boolean ok = false;
        int foundCapacity = (int) capacity;
        int foundMax = (int) maxMessage;
        try {
            if (file == null) {
                file = ShmFile.open(object, path, RegionLayout.HEADER_SIZE);
                Header.check(object, file, RegionLayout.KIND_QUEUE);
                BytesStore<?, ?> b = file.mapping().bytes();
                foundCapacity = b.readInt(CAPACITY_OFFSET);
                foundMax = b.readInt(MAX_MESSAGE_OFFSET);
                if (foundCapacity < 1 || foundCapacity > MAX_CAPACITY || foundMax < 1 || foundMax > MAX_MESSAGE
                        || b.readInt(SLOT_SIZE_OFFSET) != slotSize(foundMax)
                        || file.size() != fileSize(foundCapacity, foundMax)
                        || file.size() - SLOTS > Integer.MAX_VALUE) {
                    throw new IpcProtocolException(object, file.path() + " has capacity=" + foundCapacity
                            + " maxMessageSize=" + foundMax + " that do not match its size=" + file.size());
                }
                if (address.has("capacity") && foundCapacity != capacity
                        || address.has("maxMessageSize") && foundMax != maxMessage) {
                    throw new IpcProtocolException(object, "'" + object + "' exists with capacity=" + foundCapacity
                            + " maxMessageSize=" + foundMax + ", but the address asks for capacity=" + capacity
                            + " maxMessageSize=" + maxMessage + "; use the same values or another name");
                }
            }
            int me = -1;
            for (int i = 1; i <= MAX_OWNERS; i++) {
                if (file.tryLock(i)) {
                    me = i;
                    break;
                }
            }
            if (me < 0) {
                throw new ResourceLimitException(object, "'" + object + "' already has " + MAX_OWNERS
                        + " open handles, the most a shm queue allows");
            }
            ShmQueue queue = new ShmQueue(object, file, me, wait, foundCapacity, foundMax);
            ok = true;
            return queue;
        } finally {
            if (!ok && file != null) {
                file.close();
            }
        }
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
        return maxMessageSize;
    }

    @Override
    public int maxPriority() {
        return 0;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public long lostClaims() {
        enter();
        try {
            return bytes.readVolatileLong(LOST_CLAIMS);
        } finally {
            exit();
        }
    }

    @Override
    public int size() throws IOException {
        enterChecked();
        try {
            long n = bytes.readVolatileLong(TAIL) - bytes.readVolatileLong(HEAD);
            return (int) Math.max(0, Math.min(capacity, n));
        } finally {
            exit();
        }
    }

    private void enter() {
        closeLock.readLock().lock();
        if (closed) {
            closeLock.readLock().unlock();
            throw new IllegalStateException("queue '" + address + "' is closed");
        }
    }

    private void enterChecked() throws ChannelClosedException {
        closeLock.readLock().lock();
        if (closed) {
            closeLock.readLock().unlock();
            throw new ChannelClosedException(address);
        }
    }

    private void exit() {
        closeLock.readLock().unlock();
    }

    private long slot(long position) {
        return SLOTS + Math.floorMod(position, (long) capacity) * slotSize;
    }

    // ---------------------------------------------------------------- send

    @Override
    public void send(ByteBuffer message, int priority) throws IOException {
        send(message, priority, Long.MAX_VALUE, null);
    }

    @Override
    public void send(ByteBuffer message, int priority, Duration timeout) throws IOException {
        send(message, priority, nanos(timeout), timeout);
    }

    @Override
    public boolean trySend(ByteBuffer message, int priority) throws IOException {
        try {
            send(message, priority, 0, Duration.ZERO);
            return true;
        } catch (IpcTimeoutException e) {
            return false;
        }
    }

    private void checkMessage(ByteBuffer message, int priority) throws IOException {
        if (priority != 0) {
            throw new IllegalArgumentException("priority must be 0 on shm queue '" + address
                    + "' (maxPriority=0; shm queues have no priorities): priority=" + priority);
        }
        if (message.remaining() > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", message.remaining(), maxMessageSize, false);
        }
    }

    private void send(ByteBuffer message, int priority, long timeoutNanos, Duration timeout) throws IOException {
        checkMessage(message, priority);
        enterChecked();
        try {
            Futex futex = null;
            long start = System.nanoTime();
            long spinNanos = wait.spinNanos();
            while (true) {
                long position = claim();
                if (position >= 0) {
                    if (write(position, message)) {
                        return;
                    }
                    continue;   // our claim was revoked while we stalled: send again in a new slot
                }
                long now = System.nanoTime();
                if (now - start >= timeoutNanos) {
                    throw new IpcTimeoutException(address, "send", timeout);
                }
                checkWaiting("send");
                if (now - start < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                if (futex == null) {
                    futex = new Futex();
                }
                bytes.addAndGetInt(PRODUCERS_WAITING, 1);
                try {
                    int seq = bytes.readVolatileInt(FREE_SEQ);
                    if (!hasRoom()) {
                        futex.await(base + FREE_SEQ, seq, timeoutNanos - (now - start));
                    }
                } finally {
                    bytes.addAndGetInt(PRODUCERS_WAITING, -1);
                }
            }
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            exit();
        }
    }

    private void checkWaiting(String operation) throws IOException {
        if (closed) {
            throw new AsyncClosedException(address);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(operation + " on '" + address + "' interrupted");
        }
    }

    private boolean hasRoom() throws IOException {
        long t = bytes.readVolatileLong(TAIL);
        long s = bytes.readVolatileLong(slot(t));
        if (s == state(t, NO_OWNER, FREE) || position(s) >= t) {
            return true;
        }
        // a revoked claim or a read in progress of the previous lap: room once readers passed it
        return (tag(s) == LOST || tag(s) == READING) && bytes.readVolatileLong(HEAD) > position(s);
    }

    /** Claims the next position; -1 if the queue is full. */
    long claim() throws IOException {
        while (true) {
            long t = bytes.readVolatileLong(TAIL);
            long at = slot(t);
            long s = bytes.readVolatileLong(at);
            long p = position(s);
            if (s == state(t, NO_OWNER, FREE)) {
                if (bytes.compareAndSwapLong(at, s, state(t, owner, CLAIMED))) {
                    bytes.compareAndSwapLong(TAIL, t, t + 1);   // fails only if someone helped
                    return t;
                }
                continue;
            }
            if (p >= t) {
                if (p - t >= capacity && bytes.readVolatileLong(TAIL) == t) {
                    // a slot is claimed a lap or more past a tail that never got there: only damage does that
                    throw new IpcProtocolException(address, "corrupt slot in '" + address + "' at tail=" + t
                            + ": it holds position=" + p + ", a lap or more ahead; the file was changed by"
                            + " something other than ipc4j");
                }
                bytes.compareAndSwapLong(TAIL, t, t + 1);   // position t was claimed already: help tail along
                continue;
            }
            if (p != t - capacity) {
                return -1;   // a lagging view; treat as full and look again
            }
            int tag = tag(s);
            int o = owner(s);
            if (tag == PUBLISHED || tag == CLAIMED || tag == FREE) {
                return -1;   // the previous lap is not consumed yet: full
            }
            if (bytes.readVolatileLong(HEAD) <= p) {
                return -1;   // readers have not passed the previous lap's position yet
            }
            if (tag == READING || tag == LOST) {
                if (!alive(o)) {
                    // count only if this state was still there: a consumer that finished and closed
                    // after we read it has freed the slot itself, and lost nothing
                    if (bytes.compareAndSwapLong(at, s, state(t, NO_OWNER, FREE)) && tag == READING) {
                        bytes.addAndGetLong(LOST_CLAIMS, 1);   // a consumer died while copying it out
                    }
                } else if (tag == LOST) {
                    // quarantined for a stalled, living producer: skip the slot for this lap too
                    if (bytes.compareAndSwapLong(at, s, state(t, o, LOST))) {
                        bytes.compareAndSwapLong(TAIL, t, t + 1);
                    }
                } else {
                    return -1;   // a live consumer is still copying
                }
            }
        }
    }

    /** Writes and publishes; false if the claim was revoked meanwhile. */
    boolean write(long position, ByteBuffer message) {
        long at = slot(position);
        int length = message.remaining();
        bytes.writeInt(at + SLOT_LENGTH, length);
        int p = message.position();
        slots.put((int) (at - SLOTS) + SLOT_PAYLOAD, message, p, length);
        if (!bytes.compareAndSwapLong(at, state(position, owner, CLAIMED), state(position, NO_OWNER, PUBLISHED))) {
            // revoked while we stalled: release the quarantine so the slot can be reused, and send again
            long s = bytes.readVolatileLong(at);
            if (owner(s) == owner && tag(s) == LOST) {
                bytes.compareAndSwapLong(at, s, state(position(s), NO_OWNER, LOST));
            }
            return false;
        }
        message.position(p + length);
        // the CAS above is a full fence: the publish is visible before we read consumersWaiting
        if (bytes.readVolatileInt(CONSUMERS_WAITING) != 0) {
            bytes.addAndGetInt(PUBLISH_SEQ, 1);
            Futex.wakeAll(base + PUBLISH_SEQ);
        }
        return true;
    }

    private boolean alive(int o) throws IOException {
        if (o == NO_OWNER) {
            return false;
        }
        return o == owner || file.isLockedByOther(o);
    }

    // ---------------------------------------------------------------- receive

    @Override
    public Received receive(ByteBuffer dst) throws IOException {
        return receive(dst, Long.MAX_VALUE, null);
    }

    @Override
    public Received receive(ByteBuffer dst, Duration timeout) throws IOException {
        return receive(dst, nanos(timeout), timeout);
    }

    @Override
    public Optional<Received> tryReceive(ByteBuffer dst) throws IOException {
        try {
            return Optional.of(receive(dst, 0, Duration.ZERO));
        } catch (IpcTimeoutException e) {
            return Optional.empty();
        }
    }

    private long stallPosition = -1;
    private long stallSince;

    private Received receive(ByteBuffer dst, long timeoutNanos, Duration timeout) throws IOException {
        enterChecked();
        try {
            Futex futex = null;
            long start = System.nanoTime();
            long spinNanos = wait.spinNanos();
            while (true) {
                int n = take(dst);
                if (n >= 0) {
                    return new Received(n, 0);
                }
                long now = System.nanoTime();
                if (now - start >= timeoutNanos) {
                    throw new IpcTimeoutException(address, "receive", timeout);
                }
                checkWaiting("receive");
                if (now - start < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                if (futex == null) {
                    futex = new Futex();
                }
                bytes.addAndGetInt(CONSUMERS_WAITING, 1);
                try {
                    int seq = bytes.readVolatileInt(PUBLISH_SEQ);
                    if (!readable()) {
                        futex.await(base + PUBLISH_SEQ, seq, timeoutNanos - (now - start));
                    }
                } finally {
                    bytes.addAndGetInt(CONSUMERS_WAITING, -1);
                }
            }
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            exit();
        }
    }

    private boolean readable() {
        long h = bytes.readVolatileLong(HEAD);
        long s = bytes.readVolatileLong(slot(h));
        return position(s) != h || tag(s) != FREE && tag(s) != CLAIMED;
    }

    /** Takes one message; EMPTY if none is ready. */
    private int take(ByteBuffer dst) throws IOException {
        while (true) {
            long h = bytes.readVolatileLong(HEAD);
            long at = slot(h);
            long s = bytes.readVolatileLong(at);
            long p = position(s);
            if (p == h + capacity) {
                bytes.compareAndSwapLong(HEAD, h, h + 1);   // consumed already; help head along
                continue;
            }
            if (p != h) {
                return EMPTY;   // the previous lap's state: nothing claimed at h yet
            }
            int tag = tag(s);
            switch (tag) {
                case FREE:
                    return EMPTY;
                case READING:
                case LOST:
                    bytes.compareAndSwapLong(HEAD, h, h + 1);
                    continue;
                case CLAIMED:
                    if (!revokeIfAbandoned(at, s, h)) {
                        return EMPTY;
                    }
                    continue;
                case PUBLISHED:
                    int length = bytes.readInt(at + SLOT_LENGTH);
                    if (length < 0 || length > maxMessageSize) {
                        throw new IpcProtocolException(address, "corrupt slot in '" + address + "' at position=" + h
                                + ": length=" + length + " (maxMessageSize=" + maxMessageSize + ")");
                    }
                    if (length > dst.remaining()) {
                        throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
                    }
                    if (!bytes.compareAndSwapLong(at, s, state(h, owner, READING))) {
                        continue;
                    }
                    bytes.compareAndSwapLong(HEAD, h, h + 1);
                    dst.put(dst.position(), slots, (int) (at - SLOTS) + SLOT_PAYLOAD, length);
                    dst.position(dst.position() + length);
                    bytes.writeOrderedLong(at, state(h + capacity, NO_OWNER, FREE));   // pairs with claim()'s read
                    VarHandle.fullFence();
                    if (bytes.readVolatileInt(PRODUCERS_WAITING) != 0) {
                        bytes.addAndGetInt(FREE_SEQ, 1);
                        Futex.wakeAll(base + FREE_SEQ);
                    }
                    return length;
                default:
                    throw new IpcProtocolException(address, "corrupt slot in '" + address + "' at position=" + h
                            + ": state tag=" + tag);
            }
        }
    }

    /** Takes the message at the head for reading and stops there (tests: a consumer dying mid-copy). */
    long beginReadForTest() {
        long h = bytes.readVolatileLong(HEAD);
        long at = slot(h);
        if (bytes.compareAndSwapLong(at, state(h, NO_OWNER, PUBLISHED), state(h, owner, READING))) {
            bytes.compareAndSwapLong(HEAD, h, h + 1);
            return h;
        }
        return -1;
    }

    /** A claim at the head: revoke it if its owner died or it stalled past unblockTimeout. */
    private boolean revokeIfAbandoned(long at, long s, long h) throws IOException {
        long now = System.nanoTime();
        if (stallPosition != h) {
            stallPosition = h;
            stallSince = now;
            return false;
        }
        long stalled = now - stallSince;
        if (stalled < LIVENESS_CHECK_NANOS) {
            return false;
        }
        int o = owner(s);
        if (alive(o) && stalled < unblockNanos) {
            return false;
        }
        if (bytes.compareAndSwapLong(at, s, state(h, o, LOST))) {
            bytes.addAndGetLong(LOST_CLAIMS, 1);
            bytes.compareAndSwapLong(HEAD, h, h + 1);
        }
        return true;
    }

    private static long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0: timeout=" + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private IOException fault(InternalError e) {
        return new IpcException(address, "memory fault in queue '" + address + "': its file was truncated", e);
    }

    @Override
    public void unlink() throws IOException {
        if (LibC.unlink(file.path()) != 0) {
            int errno = com.sun.jna.Native.getLastError();
            if (errno == LibC.ENOENT) {
                throw new ObjectNotFoundException(address, "'" + address + "' was already removed (" + file.path() + ")");
            }
            throw new IpcException(address, "unlink(" + file.path() + ") failed: " + LibC.describe(errno));
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
        Futex.wakeAll(base + PUBLISH_SEQ);
        Futex.wakeAll(base + FREE_SEQ);
        closeLock.writeLock().lock();
        try {
            file.close();
        } finally {
            closeLock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "ShmQueue[" + address + ", capacity=" + capacity + ", maxMessageSize=" + maxMessageSize
                + (closed ? ", closed]" : "]");
    }
}
