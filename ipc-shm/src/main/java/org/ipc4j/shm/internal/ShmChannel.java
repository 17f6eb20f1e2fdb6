package org.ipc4j.shm.internal;

import static org.ipc4j.shm.internal.ChannelLayout.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import net.openhft.chronicle.bytes.BytesStore;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageHandler;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.PeerClosedException;
import org.ipc4j.spi.DrainArguments;

/** One end of a shm channel: sends on one ring of {@link ChannelLayout}, receives on the other. */
public final class ShmChannel implements Channel {
    private static final Set<Property> PROPERTIES =
            Set.copyOf(EnumSet.of(Property.RELIABLE, Property.ORDERED, Property.BIDIRECTIONAL));
    /** How often a spinning wait checks the peer's lock, in nanoseconds. */
    private static final long SPIN_CHECK_NANOS = 1_000_000;
    /** spinThenBlock busy-spins this long, then yields until it blocks. */
    private static final long YIELD_AFTER_NANOS = 10_000;
    /**
     * A sender short of space reads the consumer's marks after this long and then at most this
     * often while they give space, the released head in between: the marks sit where the consumer is
     * working, head moves only now and then. Reads that give nothing double the wait.
     */
    private static final long MARKS_CHECK_NANOS = 1_000;
    /** How many times a spinning receive polls the header between two reads of the clock. */
    private static final int SPIN_POLLS = 64;
    /** The longest wait between two reads of marks that gave nothing. */
    private static final long MAX_MARKS_WAIT_NANOS = 128_000;

    private final String address;
    private final ShmFile file;
    private final BytesStore<?, ?> bytes;
    private final long baseAddress;
    private final WaitStrategy wait;
    private final long capacity;
    private final long mask;
    private final int maxMessageSize;
    private final long myClosedOffset;
    private final long peerClosedOffset;
    private final long peerLock;
    private final String peerName;
    /** A record's header word in {@link #inRecords}, as the producer writes it (native order). */
    private static final VarHandle RECORD_HEADERS = java.lang.invoke.MethodHandles.byteBufferViewVarHandle(long[].class,
            java.nio.ByteOrder.nativeOrder());

    // outbound ring (we produce)
    private final long out;
    private final ByteBuffer outRecords;
    private long tail;
    /** Known free up to this position: records before {@code limit - capacity} were seen marked consumed. */
    private long limit;
    /** How long a sender short of space waits before reading the marks (again); see the send loop. */
    private long marksWait = MARKS_CHECK_NANOS;
    // inbound ring (we consume)
    private final long in;
    private final ByteBuffer inRecords;
    /** A read-only view of the inbound records, handed to drain handlers. */
    private final ByteBuffer inView;
    private long head;
    /** The head last released to the shared counter. */
    private long publishedHead;
    /** Release head after consuming this many bytes even while records keep coming. */
    private final long publishEvery;
    /** The producer's last wait position we woke it for: one wake per wait, not one per record. */
    private long wokenFor;

    private final SpinLock sendLock = new SpinLock();
    private final SpinLock receiveLock = new SpinLock();
    private final Futex sendFutex = new Futex();
    private final Futex receiveFutex = new Futex();
    private volatile boolean closed;
    /** Set once the peer's lock was seen free: its process is gone for good. */
    private volatile boolean peerDied;
    /** When a receive last asked the kernel about the peer's lock (System.nanoTime). */
    private long lastPollCheck;
    /** The thread in a drain handler of this channel, if any: only that thread compares it with itself. */
    private Thread draining;
    /** Set by a close() from a drain handler: the drain finishes the close. */
    private final AtomicBoolean closeDeferred = new AtomicBoolean();
    /**
     * With {@code singleSender}, sends take no lock: the first thread to send becomes the only one
     * allowed to ({@link #sender}), and a close from another thread retires the mapping instead of
     * unmapping it under that thread.
     */
    private final boolean singleSender;
    private final ThreadConfinement sender = new ThreadConfinement("send", "singleSender");
    /** With {@code singleReceiver}, receives and drains take no lock, as sends with singleSender. */
    private final boolean singleReceiver;
    private final ThreadConfinement receiver = new ThreadConfinement("receive", "singleReceiver");

    ShmChannel(String address, ShmFile file, boolean server, EndOptions options) {
        this.address = address;
        this.singleSender = options.singleSender();
        this.singleReceiver = options.singleReceiver();
        this.file = file;
        this.bytes = file.mapping().bytes();
        this.baseAddress = file.mapping().address();
        this.wait = options.waitStrategy();
        this.capacity = bytes.readLong(CAPACITY_OFFSET);
        this.mask = capacity - 1;
        this.maxMessageSize = bytes.readInt(MAX_MESSAGE_OFFSET);
        long ring0 = RINGS_OFFSET;
        long ring1 = RINGS_OFFSET + ringSize(capacity);
        this.out = server ? ring0 : ring1;
        this.in = server ? ring1 : ring0;
        this.myClosedOffset = server ? SERVER_CLOSED_OFFSET : CLIENT_CLOSED_OFFSET;
        this.peerClosedOffset = server ? CLIENT_CLOSED_OFFSET : SERVER_CLOSED_OFFSET;
        this.peerLock = server ? CLIENT_LOCK : SERVER_LOCK;
        this.peerName = server ? "client" : "server";
        this.outRecords = file.mapping().buffer(out + RECORDS, (int) capacity);
        this.inRecords = file.mapping().buffer(in + RECORDS, (int) capacity);
        this.inView = inRecords.asReadOnlyBuffer();
        this.tail = bytes.readVolatileLong(out + TAIL);
        this.limit = bytes.readVolatileLong(out + HEAD) + capacity;   // records after head are found by their marks
        this.head = bytes.readVolatileLong(in + HEAD);
        this.publishedHead = head;
        this.publishEvery = capacity / 4;
        int mayBlock = wait == WaitStrategy.SPIN ? 0 : 1;
        bytes.writeVolatileInt(in + CONSUMER_MAY_BLOCK, mayBlock);
        bytes.writeVolatileInt(out + PRODUCER_MAY_BLOCK, mayBlock);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Set<Property> properties() {
        return PROPERTIES;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (!trySendNow(message)) {
            send(message, Long.MAX_VALUE, null);
        }
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        long nanos = nanos(timeout);
        if (!trySendNow(message)) {
            send(message, nanos, timeout);
        }
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        return receive(dst, Long.MAX_VALUE, null);
    }

    @Override
    public int receive(ByteBuffer dst, Duration timeout) throws IOException {
        return receive(dst, nanos(timeout), timeout);
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

    /**
     * The fast path of a send, small enough for the JIT to inline into the caller's loop: one
     * attempt with no clock and no timed lock. False when the full path must decide: the channel is
     * closed, the message too large, the ring short of space, this thread not yet the single sender,
     * or another thread holding the lock. A single sender takes no lock: the lock's compare-and-swap
     * is a full fence, which on a busy ring would wait for the last record's stores every time.
     */
    private boolean trySendNow(ByteBuffer message) throws IOException {
        int length = message.remaining();
        if (closed || length > maxMessageSize) {
            return false;
        }
        try {
            if (singleSender) {
                return sender.isHeldBy(Thread.currentThread()) && bytes.readVolatileInt(peerClosedOffset) == 0
                        && tryWrite(message, length, false);
            }
            if (!sendLock.tryLock()) {
                return false;
            }
            try {
                return !closed && bytes.readVolatileInt(peerClosedOffset) == 0 && tryWrite(message, length, false);
            } finally {
                sendLock.unlock();
            }
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /** The full path of a send: checks, then waits for room as the wait strategy says. */
    private void send(ByteBuffer message, long timeoutNanos, Duration timeout) throws IOException {
        int length = message.remaining();
        if (closed) {
            throw new ChannelClosedException(address);
        }
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        if (singleSender) {
            sender.claim(address);
        }
        long start = System.nanoTime();
        lock(sendLock, timeoutNanos, timeout, "send");
        try {
            long spinNanos = wait.spinNanos();
            long nextCheck = start + SPIN_CHECK_NANOS;
            // a full ring waits a little before reading the marks, then resumes with a batch of space
            // instead of trailing the consumer record by record; a poll reads them at once
            long nextMarks = timeoutNanos < MARKS_CHECK_NANOS ? start : start + marksWait;
            while (true) {
                if (closed) {
                    throw new AsyncClosedException(address);
                }
                if (bytes.readVolatileInt(peerClosedOffset) != 0) {
                    throw new PeerClosedException(address, "the " + peerName + " end of '" + address + "' closed");
                }
                long now = System.nanoTime();
                boolean marks = now - nextMarks >= 0;
                long limitBefore = limit;
                if (tryWrite(message, length, marks)) {
                    if (marks) {
                        marksWait = MARKS_CHECK_NANOS;
                    }
                    return;
                }
                if (marks) {
                    // the marks sit where the consumer works: if they gave nothing (a draining consumer
                    // marks nothing, it releases head), read them less and less often
                    marksWait = limit != limitBefore ? MARKS_CHECK_NANOS : Math.min(2 * marksWait, MAX_MARKS_WAIT_NANOS);
                    nextMarks = now + marksWait;
                }
                if (now - start >= timeoutNanos) {
                    throw new IpcTimeoutException(address, "send", timeout);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("send on '" + address + "' interrupted");
                }
                if (now - nextCheck >= 0) {
                    nextCheck = now + SPIN_CHECK_NANOS;
                    checkPeerAlive();
                }
                if (now - start < spinNanos) {
                    pause(now - start);
                    continue;
                }
                // volatile store (a full fence), then re-check head and the marks; the consumer marks,
                // fences, then reads this word
                bytes.writeVolatileLong(out + PRODUCER_WAITING, tail + needed(length) - capacity);
                long h = bytes.readVolatileLong(out + HEAD);
                if (!hasRoom(length)) {
                    sendFutex.await(baseAddress + out + HEAD, (int) h, timeoutNanos - (now - start));
                }
                bytes.writeOrderedLong(out + PRODUCER_WAITING, 0);
            }
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            sendLock.unlock();
        }
    }

    /** One step of the spin phase: busy-spin, except that spinThenBlock yields after a short while. */
    private void pause(long spunNanos) {
        if (yielding(spunNanos)) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    /** True once spinThenBlock has spun long enough to yield instead: lets the peer run if it shares our core. */
    private boolean yielding(long spunNanos) {
        return wait == WaitStrategy.SPIN_THEN_BLOCK && spunNanos > YIELD_AFTER_NANOS;
    }

    private void checkPeerAlive() throws IOException {
        if (!file.isLockedByOther(peerLock)) {
            throw new PeerClosedException(address, "the " + peerName + " process of '" + address
                    + "' died (its lock on the channel file is free)");
        }
    }

    /**
     * One attempt; false if the ring has no room. Called with sendLock held, or by the single
     * sender. Small, so that the JIT inlines it into a caller's loop; space and the wrap are
     * {@link #makeRoom}'s.
     */
    private boolean tryWrite(ByteBuffer message, int length, boolean marks) throws IOException {
        int recordLength = recordLength(length);
        long index = tail & mask;
        if (tail + recordLength > limit || capacity - index < recordLength) {
            index = makeRoom(recordLength, marks);
            if (index < 0) {
                return false;
            }
        }
        int p = message.position();
        outRecords.put((int) index + RECORD_HEADER, message, p, length);
        message.position(p + length);
        // publish: the header is written last; pairs with the consumer's acquiring read of the header
        bytes.writeOrderedLong(out + RECORDS + index, header(MESSAGE_TYPE, length));
        tail += recordLength;
        bytes.writeOrderedLong(out + TAIL, tail);   // the blocking consumer's futex word
        if (bytes.readInt(out + CONSUMER_MAY_BLOCK) != 0) {
            wakeConsumerIfWaiting();
        }
        return true;
    }

    /**
     * Space for a record of {@code recordLength} at the tail: reclaims up to what it needs and, when
     * it does not fit before the ring's end, pads the rest of the ring (tail moves over the padding).
     *
     * @return the index to write the record at, or -1 if there is no room yet
     */
    private long makeRoom(int recordLength, boolean marks) throws IOException {
        long index = tail & mask;
        long toEnd = capacity - index;
        long needed = toEnd < recordLength ? toEnd + recordLength : recordLength;
        if (tail + needed > limit && !reclaim(tail + needed, marks)) {
            return -1;
        }
        if (toEnd < recordLength) {
            bytes.writeOrderedLong(out + RECORDS + index, header(PADDING_TYPE, (int) (toEnd - RECORD_HEADER)));
            tail += toEnd;
            return 0;
        }
        return index;
    }

    private void wakeConsumerIfWaiting() {
        VarHandle.fullFence();   // tail store before the waiting load; the consumer fences the other way
        if (bytes.readVolatileInt(out + CONSUMER_WAITING) != 0) {
            Futex.wakeAll(baseAddress + out + TAIL);
        }
    }

    /** Bytes a message of {@code length} takes at the tail: its record, plus padding if it must wrap. */
    private long needed(int length) {
        int recordLength = recordLength(length);
        long toEnd = capacity - (tail & mask);
        return toEnd < recordLength ? toEnd + recordLength : recordLength;
    }

    /** Whether a message of {@code length} bytes fits now, reclaiming consumed records if needed. */
    private boolean hasRoom(int length) throws IOException {
        long wanted = tail + needed(length);
        return wanted <= limit || reclaim(wanted, true);
    }

    /**
     * Moves {@link #limit} up to the released head plus capacity, then (if {@code marks}) over the
     * records of the previous lap that the consumer marked consumed, oldest first, until it reaches
     * {@code wanted}.
     *
     * @return false if an unconsumed record (or, without marks, head) stops it first
     */
    private boolean reclaim(long wanted, boolean marks) throws IOException {
        long h = bytes.readVolatileLong(out + HEAD);   // records before it are consumed; pairs with publishHead()
        if (h + capacity > limit) {
            if (h > tail || (h & 7) != 0) {
                closeQuietly();
                throw new IpcProtocolException(address, "corrupt head in '" + address + "': head=" + h
                        + " (tail=" + tail + "); the channel is closed");
            }
            limit = h + capacity;   // a record boundary, as head always is
            if (wanted <= limit) {
                return true;
            }
        }
        if (!marks) {
            return false;
        }
        do {
            long index = limit & mask;
            long header = bytes.readVolatileLong(out + RECORDS + index);   // pairs with the consumer's mark (release)
            int type = (int) (header >> 32);
            if (type != CONSUMED_TYPE) {
                if (header == 0 || type == MESSAGE_TYPE || type == PADDING_TYPE) {
                    return false;   // not consumed yet, or zeroed by a drain that has yet to release head
                }
                throw corrupt("sent record", limit - capacity, type, (int) header);
            }
            int length = (int) header;
            if (length < RECORD_HEADER || (length & 7) != 0 || length > capacity - index) {
                throw corrupt("sent record", limit - capacity, type, length);
            }
            limit += length;
        } while (wanted > limit);
        return true;
    }

    private IOException corrupt(String what, long position, int type, int length) {
        closeQuietly();
        return new IpcProtocolException(address, "corrupt " + what + " in '" + address + "' at position=" + position
                + ": type=" + type + " length=" + length + " (maxMessageSize=" + maxMessageSize
                + "); the channel is closed");
    }

    private static long header(int type, int length) {
        return ((long) type << 32) | (length & 0xFFFF_FFFFL);
    }

    private int receive(ByteBuffer dst, long timeoutNanos, Duration timeout) throws IOException {
        int n = take(dst, null, 1, timeoutNanos, timeout);
        if (n == TIMEOUT) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        return n;
    }

    @Override
    public int drain(MessageHandler handler, int maxMessages) throws IOException {
        return drain(handler, maxMessages, Long.MAX_VALUE, null);
    }

    @Override
    public int drain(MessageHandler handler, int maxMessages, Duration timeout) throws IOException {
        return drain(handler, maxMessages, nanos(timeout), timeout);
    }

    /**
     * Hands the published records at head to the handler in place, as read-only views of the ring;
     * they are zeroed and released only when the handler is done with them.
     */
    private int drain(MessageHandler handler, int maxMessages, long timeoutNanos, Duration timeout) throws IOException {
        DrainArguments.check(this, handler, maxMessages);
        try {
            int n = take(null, handler, maxMessages, timeoutNanos, timeout);
            return n == TIMEOUT ? 0 : n;
        } finally {
            if (closeDeferred.get() && closeDeferred.compareAndSet(true, false)) {
                release();   // the handler closed the channel: now nothing reads the mapping any more
            }
        }
    }

    /** What {@link #takeNow} returns when nothing is published at head. */
    private static final int NOTHING = -2;
    /** What {@link #take} returns when the timeout passed. */
    private static final int TIMEOUT = -3;

    /**
     * A receive into {@code dst} (handler null) or a drain: waits as the wait strategy says.
     *
     * @return the message's length or the number of messages handed over, -1 at end of stream, or
     *     {@link #TIMEOUT}
     */
    private int take(ByteBuffer dst, MessageHandler handler, int maxMessages, long timeoutNanos, Duration timeout)
            throws IOException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
        checkNotDraining(handler == null ? "receive" : "drain");
        boolean owned = singleReceiver;   // the single receiver takes no lock
        if (owned) {
            receiver.claim(address);
        }
        boolean locked = owned || receiveLock.tryLock();   // fast path: no clock, no timed lock
        try {
            if (locked && !closed) {
                int n = takeNow(dst, handler, maxMessages);
                if (n != NOTHING) {
                    return n;
                }
            }
            long start = System.nanoTime();
            if (!locked) {
                try {
                    lock(receiveLock, timeoutNanos, timeout, "receive");
                } catch (IpcTimeoutException e) {
                    return TIMEOUT;   // another receiving thread held the lock throughout
                }
                locked = true;
            }
            while (true) {   // still holding the lock the fast path took: an empty ring costs one lock, not two
                int found = awaitRecord(start, timeoutNanos);
                if (found == TIMED_OUT) {
                    return TIMEOUT;
                }
                int n = takeNow(dst, handler, maxMessages);
                if (found == PEER_GONE) {
                    return n == NOTHING ? -1 : n;   // everything it published before closing or dying
                }
                if (n != NOTHING) {
                    return n;
                }
            }
        } catch (InternalError e) {
            throw fault(e);
        } finally {
            if (locked && !owned) {
                receiveLock.unlock();
            }
        }
    }

    /** One attempt, with receiveLock held: the length or count, or {@link #NOTHING}. */
    private int takeNow(ByteBuffer dst, MessageHandler handler, int maxMessages) throws IOException {
        if (handler == null) {
            return tryRead(dst);
        }
        int n = drainLocked(handler, maxMessages);
        return n == 0 ? NOTHING : n;
    }

    /** Refuses a receive from inside a drain handler of this channel: the lock is ours, and the view too. */
    private void checkNotDraining(String operation) {
        if (draining == Thread.currentThread()) {
            throw new IllegalStateException(operation + " on '" + address
                    + "' called from a handler of a drain on the same channel; return from the handler first");
        }
    }

    /**
     * Hands each published message at head, up to {@code maxMessages}, to the handler. Called with
     * receiveLock held.
     *
     * <p>Unlike {@link #tryRead}, this marks nothing: records are only passed over, and the span
     * behind them is zeroed whole and released with head at the end (and after each
     * {@link #publishEvery} bytes), as a producer short of space reads head before the marks.
     *
     * @return the number handed over; 0 if none was published
     */
    private int drainLocked(MessageHandler handler, int maxMessages) throws IOException {
        int count = 0;
        long released = head;   // the start of the span passed over and not yet zeroed and released
        draining = Thread.currentThread();
        try {
            while (count < maxMessages && !closed) {
                long index = head & mask;
                long header = (long) RECORD_HEADERS.getAcquire(inRecords, (int) index);   // pairs with the producer's release
                int type = (int) (header >> 32);
                int length = (int) header;
                if (type != MESSAGE_TYPE) {
                    if (header == 0 || type == CONSUMED_TYPE) {
                        break;   // nothing published here yet: zeros, or a mark from the previous lap
                    }
                    if (type == PADDING_TYPE && length == capacity - index - RECORD_HEADER) {
                        head += capacity - index;
                        continue;
                    }
                    throw corrupt("record", head, type, length);
                }
                if (length < 0 || length > maxMessageSize || recordLength(length) > capacity - index) {
                    throw corrupt("record", head, type, length);
                }
                int from = (int) index + RECORD_HEADER;
                inView.limit(from + length).position(from);
                inView.order(java.nio.ByteOrder.BIG_ENDIAN);
                count++;
                try {
                    handler.onMessage(inView);
                } finally {
                    head += recordLength(length);
                }
                if (head - released >= publishEvery) {
                    release(released);
                    released = head;
                }
            }
        } finally {
            draining = null;
            if (head != released) {
                release(released);
            }
        }
        return count;
    }

    /**
     * Zeroes the records from {@code from} to head (a later lap may put a header anywhere in there),
     * then releases head, which frees them for the producer, and wakes a producer waiting for them.
     */
    private void release(long from) {
        long start = from & mask;
        long length = head - from;
        long first = Math.min(length, capacity - start);
        bytes.zeroOut(in + RECORDS + start, in + RECORDS + start + first);
        if (first < length) {
            bytes.zeroOut(in + RECORDS, in + RECORDS + (length - first));   // the part after the wrap
        }
        publishHead();   // release: the zeroing comes first
        if (bytes.readInt(in + PRODUCER_MAY_BLOCK) != 0) {
            wakeProducerIfDue();
        }
    }

    /** What {@link #awaitRecord} found: a record published at head. */
    private static final int PUBLISHED = 1;
    /** What {@link #awaitRecord} found: the peer closed or died; what it published before is still to read. */
    private static final int PEER_GONE = 0;
    /** What {@link #awaitRecord} found: nothing within the timeout. */
    private static final int TIMED_OUT = -1;

    /**
     * Waits, with receiveLock held, until a record is published at head: spins, then blocks, as the
     * wait strategy says.
     *
     * @return {@link #PUBLISHED}, {@link #PEER_GONE} or {@link #TIMED_OUT}
     */
    private int awaitRecord(long start, long timeoutNanos) throws IOException {
        long spinNanos = wait.spinNanos();
        long nextCheck = start + SPIN_CHECK_NANOS;
        while (true) {
            if (closed) {
                throw new AsyncClosedException(address);
            }
            if (published()) {
                return PUBLISHED;
            }
            if (peerGone()) {
                return PEER_GONE;
            }
            long now = System.nanoTime();
            if (now - start >= timeoutNanos) {
                // a poll (timeout zero) asks the kernel at most once per check period; a wait always
                if ((timeoutNanos > 0 || now - lastPollCheck >= SPIN_CHECK_NANOS) && peerDiedNow(now)) {
                    continue;
                }
                return TIMED_OUT;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("receive on '" + address + "' interrupted");
            }
            if (now - nextCheck >= 0) {
                nextCheck = now + SPIN_CHECK_NANOS;
                if (peerDiedNow(now)) {
                    continue;
                }
            }
            if (now - start < spinNanos) {
                if (yielding(now - start)) {
                    Thread.yield();
                    continue;
                }
                // poll the header in a tight loop between clock reads, so that a record is seen
                // within one pause of landing, not after a clock read and the checks around it;
                // each poll also reads the line after the header's, where a message's payload goes
                // on: the producer writes it before the header, so the copy-out finds it here
                // instead of fetching it from the other core after the header (the two transfers
                // overlap; a round trip where cores are far apart: 0.54 µs became 0.48 to 0.53)
                for (int i = 0; i < SPIN_POLLS && !published(); i++) {
                    bytes.readVolatileLong(in + RECORDS + ((head + CACHE_LINE) & mask));
                    Thread.onSpinWait();
                }
                continue;
            }
            if (head != publishedHead) {
                publishHead();
            }
            bytes.writeVolatileInt(in + CONSUMER_WAITING, 1);
            long t = bytes.readVolatileLong(in + TAIL);
            if (t == head && bytes.readVolatileInt(peerClosedOffset) == 0) {
                receiveFutex.await(baseAddress + in + TAIL, (int) t, timeoutNanos - (now - start));
            }
            bytes.writeOrderedInt(in + CONSUMER_WAITING, 0);
        }
    }

    /** Whether a record (a message or padding) is published at head. Called with receiveLock held. */
    private boolean published() {
        long header = bytes.readVolatileLong(in + RECORDS + (head & mask));
        return header != 0 && (int) (header >> 32) != CONSUMED_TYPE;
    }

    /** Asks the kernel whether the peer's lock is free, and if so notes that it died. */
    private boolean peerDiedNow(long now) throws IOException {
        lastPollCheck = now;
        if (file.isLockedByOther(peerLock)) {
            return false;
        }
        peerDied = true;
        return true;
    }

    private boolean peerGone() {
        return peerDied || bytes.readVolatileInt(peerClosedOffset) != 0;   // pairs with writeOrderedInt in close()
    }

    /** One attempt: the length, or {@link #NOTHING} if the ring is empty. Called with receiveLock held. */
    private int tryRead(ByteBuffer dst) throws IOException {
        long index = head & mask;
        long at = in + RECORDS + index;
        long header = bytes.readVolatileLong(at);   // pairs with the producer's writeOrderedLong(header)
        int type = (int) (header >> 32);
        int length = (int) header;
        if (type != MESSAGE_TYPE) {
            if (header == 0 || type == CONSUMED_TYPE) {
                if (head != publishedHead) {
                    publishHead();   // found empty: a good moment to release head
                }
                return NOTHING;   // nothing published here yet: zeros, or a mark from the previous lap
            }
            if (type == PADDING_TYPE && length == capacity - index - RECORD_HEADER) {
                consumed(at, (int) (capacity - index));
                return tryRead(dst);
            }
            throw corrupt("record", head, type, length);
        }
        if (length < 0 || length > maxMessageSize || recordLength(length) > capacity - index) {
            throw corrupt("record", head, type, length);
        }
        if (length > dst.remaining()) {
            throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
        }
        dst.put(dst.position(), inRecords, (int) index + RECORD_HEADER, length);
        dst.position(dst.position() + length);
        int recordLength = recordLength(length);
        bytes.zeroOut(at + RECORD_HEADER, at + recordLength);   // a later lap may put a header anywhere in here
        consumed(at, recordLength);
        return length;
    }

    /**
     * Marks the record at {@code at} consumed, which frees its space for the producer, and wakes a
     * producer blocked for space. Head itself is released only now and then.
     */
    private void consumed(long at, int recordLength) {
        // release: the copy-out comes first; pairs with readVolatileLong in reclaim()
        bytes.writeOrderedLong(at, header(CONSUMED_TYPE, recordLength));
        head += recordLength;
        if (head - publishedHead >= publishEvery) {
            publishHead();
        }
        if (bytes.readInt(in + PRODUCER_MAY_BLOCK) != 0) {
            wakeProducerIfDue();
        }
    }

    /** Wakes a producer blocked for space once head reaches the position it waits for. */
    private void wakeProducerIfDue() {
        VarHandle.fullFence();   // mark or head before the waiting load; the producer fences the other way
        long waitFor = bytes.readVolatileLong(in + PRODUCER_WAITING);
        if (waitFor != 0 && head >= waitFor && waitFor != wokenFor) {
            wokenFor = waitFor;
            publishHead();   // changes the producer's futex word: it read head before waitFor was reached
            Futex.wakeAll(baseAddress + in + HEAD);
        }
    }

    private void publishHead() {
        publishedHead = head;
        bytes.writeOrderedLong(in + HEAD, head);
    }

    private void lock(SpinLock lock, long timeoutNanos, Duration timeout, String operation) throws IOException {
        if (!lock.tryLock(timeoutNanos)) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException(operation + " on '" + address + "' interrupted");
            }
            if (closed) {
                throw new AsyncClosedException(address);
            }
            throw new IpcTimeoutException(address, operation, timeout);
        }
        if (closed) {
            lock.unlock();
            throw new AsyncClosedException(address);
        }
    }

    private IOException fault(InternalError e) {
        return new IpcException(address, "memory fault in channel '" + address + "': its file was truncated", e);
    }

    private void closeQuietly() {
        new Thread(() -> {
            try {
                close();
            } catch (IOException ignored) {
                // nothing to report to
            }
        }, "ipc4j-shm-close").start();
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        bytes.writeOrderedInt(myClosedOffset, 1);   // after our last send; pairs with peerGone()
        wakeAll();
        if (draining == Thread.currentThread()) {
            closeDeferred.set(true);   // closed by a drain handler: the drain unmaps when the handler returns
            return;
        }
        release();
    }

    /**
     * Unmaps and closes the file once no thread of ours is in send or receive. A lock-free sender
     * or receiver ({@code singleSender}, {@code singleReceiver}) cannot be waited for: unless it is
     * the closing thread, never came or has ended, the mapping is retired instead (the file's pages
     * swapped for private zero pages, which a racing send writes and a racing receive reads
     * harmlessly) and unmapped once this channel is unreachable.
     */
    private void release() throws IOException {
        boolean senderMayBeIn = singleSender && !sender.isOut();
        boolean receiverMayBeIn = singleReceiver && !receiver.isOut();   // both asked: each closes its role to claims
        boolean retire = senderMayBeIn || receiverMayBeIn;
        sendLock.lock();
        receiveLock.lock();
        try {
            if (retire) {
                if (!file.retire()) {   // the file's pages stay mapped until the cleaner unmaps the range
                    org.slf4j.LoggerFactory.getLogger(ShmChannel.class).debug(
                            "{}: the kernel refused to swap the file out of the mapping at close", address);
                }
                RetiredMappings.unmapAfter(this, file.mapping());
            } else {
                file.close();
            }
        } finally {
            receiveLock.unlock();
            sendLock.unlock();
        }
    }

    private void wakeAll() {
        for (long ring : new long[] {out, in}) {
            Futex.wakeAll(baseAddress + ring + TAIL);
            Futex.wakeAll(baseAddress + ring + HEAD);
        }
    }

    @Override
    public String toString() {
        return "ShmChannel[" + address + ", capacity=" + capacity + ", wait=" + wait + (singleSender ? ", singleSender" : "")
                + (singleReceiver ? ", singleReceiver" : "")
                + (closed ? ", closed]" : "]");
    }
}
