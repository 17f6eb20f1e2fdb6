package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.Received;
import org.ipc4j.ResourceLimitException;

/**
 * A POSIX message queue ({@code mq_open}). A platform thread waits in {@code mq_timedsend} /
 * {@code mq_timedreceive} itself: untimed (a null timeout, so the kernel arms no timer, as in C)
 * where close and interrupts can end the call with a signal ({@link BlockingCall}), otherwise and for
 * timed operations in slices of at most {@link Deadline#SLICE_NANOS} (close and interrupts are
 * noticed within a slice). A send first tries without waiting, so a send into a queue with room costs
 * one call and no wake-up bookkeeping. A virtual thread, and
 * every {@code try} form, passes an absolute timeout long past, which makes the call return at once;
 * a virtual thread then waits for readiness in the {@link Poller} (a queue descriptor is pollable on
 * Linux), so it never pins its carrier.
 *
 * <p>A receive into a buffer smaller than the message must take the message off the queue (the
 * kernel cannot peek); it is kept on this handle and returned by the next receive on it.
 */
public final class PosixMessageQueue extends Handle implements MessageQueue {
    /** Query keys this kind accepts besides the common ones. */
    public static final String[] KEYS = {"capacity", "maxMessageSize"};
    private static final int ATTR_SIZE = 64;
    /** A timespec of 0: an absolute timeout long past, so a timed call returns at once instead of blocking. */
    private static final Memory PAST = new Memory(16);
    private static final long PAST_ADDRESS;

    static {
        PAST.clear();
        PAST_ADDRESS = Pointer.nativeValue(PAST);
    }

    private final String address;
    private final String name;
    private final int mqd;
    private final int capacity;
    private final int maxMessageSize;
    private final int maxPriority;
    private final Object receiveLock = new Object();
    private final Memory receiveBuffer;
    /** {@link #receiveBuffer} seen as a buffer, so copies are Java copies rather than JNA calls. */
    private final ByteBuffer receiveView;
    private final Memory attr = new Memory(ATTR_SIZE);
    /** Written under receiveLock; read first without it. */
    private volatile int pendingLength = -1;
    private int pendingPriority;
    /** The scratch of the thread that last used this queue: saves a ThreadLocal lookup when it calls again. */
    private Scratch lastScratch;

    private PosixMessageQueue(String address, String name, int mqd, int capacity, int maxMessageSize) {
        super(address);
        this.address = address;
        this.name = name;
        this.mqd = mqd;
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.maxPriority = Limits.mqPriorityMax() - 1;
        this.receiveBuffer = new Memory(Math.max(1, maxMessageSize));
        this.receiveView = receiveBuffer.getByteBuffer(0, receiveBuffer.size());
    }

    /** Opens {@code mq:/name?...}. */
    public static PosixMessageQueue open(IpcAddress a) throws IOException {
        a.checkKeys(KEYS);
        String name = a.name();
        long msgMax = Limits.read(Limits.MQ_MSG_MAX, 10);
        long sizeMax = Limits.read(Limits.MQ_MSGSIZE_MAX, 8192);
        boolean sized = a.has("capacity") || a.has("maxMessageSize");
        long capacity = a.integer("capacity", Math.min(10, msgMax), 1, Integer.MAX_VALUE);
        long size = a.size("maxMessageSize", Math.min(8192, sizeMax));
        if (size < 1 || size > Integer.MAX_VALUE) {
            throw a.invalid("maxMessageSize", "maxMessageSize must be 1 byte or more: maxMessageSize=" + size);
        }
        if (a.create()) {
            if (capacity > msgMax) {
                throw new ResourceLimitException(name, "mq_open(" + name + "): capacity=" + capacity
                        + " is over the system limit msg_max=" + msgMax + " set in " + Limits.MQ_MSG_MAX
                        + "; ask for at most " + msgMax + " or raise the limit (needs CAP_SYS_RESOURCE)");
            }
            if (size > sizeMax) {
                throw new ResourceLimitException(name, "mq_open(" + name + "): maxMessageSize=" + size
                        + " is over the system limit msgsize_max=" + sizeMax + " set in " + Limits.MQ_MSGSIZE_MAX
                        + "; ask for at most " + sizeMax + " or raise the limit (needs CAP_SYS_RESOURCE)");
            }
        }
        int flags = LibC.O_RDWR | LibC.O_CLOEXEC;
        Memory attrs = new Memory(ATTR_SIZE);
        attrs.clear();
        attrs.setLong(8, capacity);
        attrs.setLong(16, size);
        // create with O_EXCL, so we know whether we made it (and must set its mode); with create but
        // not exclusive, an EEXIST then opens what is there
        int mqd;
        boolean created;
        while (true) {
            mqd = LibC.mq_open(name, a.create() ? flags | LibC.O_CREAT | LibC.O_EXCL : flags, a.mode(),
                    a.create() ? Pointer.nativeValue(attrs) : 0L);
            created = a.create() && mqd >= 0;
            if (mqd >= 0 || !a.create() || a.exclusive()) {
                break;
            }
            if (LibC.errno() != Errno.EEXIST) {
                break;
            }
            mqd = LibC.mq_open(name, flags, 0, 0L);
            if (mqd >= 0 || LibC.errno() != Errno.ENOENT) {
                break;
            }
            // removed between the two calls: try to create it again
        }
        if (mqd < 0) {
            int errno = LibC.errno();
            if (errno == Errno.EINVAL && a.create()) {
                throw new ResourceLimitException(name, "mq_open(" + name + ") failed: " + Errno.describe(errno)
                        + "; capacity=" + capacity + " and maxMessageSize=" + size + " must be within msg_max="
                        + msgMax + " (" + Limits.MQ_MSG_MAX + ") and msgsize_max=" + sizeMax + " ("
                        + Limits.MQ_MSGSIZE_MAX + ")");
            }
            if (errno == Errno.ENOSPC) {
                throw Errno.exception("mq_open", name, errno,
                        "the system limit on the number of queues (/proc/sys/fs/mqueue/queues_max) was reached");
            }
            if (errno == Errno.EMFILE) {
                throw Errno.exception("mq_open", name, errno,
                        "this user's RLIMIT_MSGQUEUE or descriptor limit was reached; close or unlink unused queues");
            }
            throw Errno.exception("mq_open", name, errno, null);
        }
        // mq_open applies the umask: set the mode asked for exactly, on the descriptor
        if (created && LibC.fchmod(mqd, a.mode()) != 0) {
            IpcException e = Errno.last("fchmod", name);
            LibC.mq_close(mqd);
            LibC.mq_unlink(name);
            throw e;
        }
        if (LibC.mq_getattr(mqd, Pointer.nativeValue(attrs)) != 0) {
            IpcException e = Errno.last("mq_getattr", name);
            LibC.mq_close(mqd);
            throw e;
        }
        int actualCapacity = (int) attrs.getLong(8);
        int actualSize = (int) attrs.getLong(16);
        if (sized && !a.create() && (actualCapacity < capacity || actualSize < size)) {
            // an existing queue's attributes win; say so if they are smaller than asked
            org.slf4j.LoggerFactory.getLogger(PosixMessageQueue.class).debug(
                    "queue {} exists with capacity={} maxMessageSize={}", name, actualCapacity, actualSize);
        }
        return new PosixMessageQueue(a.text(), name, mqd, actualCapacity, actualSize);
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
        return maxPriority;
    }

    @Override
    public int size() throws IOException {
        begin();
        try {
            synchronized (attr) {
                if (LibC.mq_getattr(mqd, Pointer.nativeValue(attr)) != 0) {
                    throw Errno.last("mq_getattr", name);
                }
                return (int) attr.getLong(24) + (pendingLength >= 0 ? 1 : 0);
            }
        } finally {
            end();
        }
    }

    @Override
    public void send(ByteBuffer message, int priority) throws IOException {
        doSend(message, priority, Deadline.never());
    }

    @Override
    public void send(ByteBuffer message, int priority, Duration timeout) throws IOException {
        if (!doSend(message, priority, Deadline.after(timeout))) {
            throw new IpcTimeoutException(address, "send", timeout);
        }
    }

    @Override
    public boolean trySend(ByteBuffer message, int priority) throws IOException {
        return doSend(message, priority, Deadline.after(Duration.ZERO));
    }

    private boolean doSend(ByteBuffer message, int priority, Deadline deadline) throws IOException {
        if (priority < 0 || priority > maxPriority) {
            throw new IllegalArgumentException("priority must be 0 to " + maxPriority + " (sysconf(_SC_MQ_PRIO_MAX)-1) for '"
                    + address + "': priority=" + priority);
        }
        int length = message.remaining();
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        begin();
        try {
            Scratch scratch = scratch();
            long ptr;
            if (message.isDirect()) {
                ptr = scratch.sendAddress.of(message) + message.position();
            } else {
                scratch.view.put(0, message, message.position(), length);
                ptr = scratch.bufferAddress;
            }
            Object state = scratch.state;
            // first without waiting: a queue with room takes the message at once
            int rc = HotCalls.mqTimedSend(state, mqd, ptr, length, priority, PAST_ADDRESS);
            if (rc == 0) {
                message.position(message.limit());
                return true;
            }
            boolean here = !Poller.isVirtual(Thread.currentThread());
            boolean untimed = here && !deadline.finite() && BlockingCall.available();
            boolean first = true;   // rc and errno are those of the call that did not wait
            while (true) {
                checkWake("send");
                boolean wait = here && !deadline.expired();
                boolean again = first && !wait;   // the call would not wait either: keep its answer
                first = false;
                if (again) {
                    // rc and errno stand
                } else if (untimed) {
                    BlockingCall call = scratch.call();
                    try {
                        rc = call.enter(this) ? HotCalls.mqTimedSend(state, mqd, ptr, length, priority, 0L) : -2;
                    } finally {
                        call.leave();
                    }
                    if (rc == -2) {
                        continue;   // closed or interrupted: checkWake throws
                    }
                } else {
                    rc = HotCalls.mqTimedSend(state, mqd, ptr, length, priority, wait ? scratch.until(deadline) : PAST_ADDRESS);
                }
                if (rc == 0) {
                    message.position(message.limit());
                    return true;
                }
                int errno = HotCalls.errno(state);
                if (errno == Errno.EINTR || (wait && errno == Errno.ETIMEDOUT)) {
                    continue;
                }
                if (errno != Errno.ETIMEDOUT && errno != Errno.EAGAIN) {
                    throw failure("mq_send", errno);
                }
                if (deadline.expired() || !Poller.await(this, mqd, LibC.POLLOUT, deadline, "send")) {
                    return false;
                }
            }
        } finally {
            end();
        }
    }

    @Override
    public Received receive(ByteBuffer dst) throws IOException {
        return doReceive(dst, Deadline.never());
    }

    @Override
    public Received receive(ByteBuffer dst, Duration timeout) throws IOException {
        Received r = doReceive(dst, Deadline.after(timeout));
        if (r == null) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        return r;
    }

    @Override
    public Optional<Received> tryReceive(ByteBuffer dst) throws IOException {
        return Optional.ofNullable(doReceive(dst, Deadline.after(Duration.ZERO)));
    }

    private Received doReceive(ByteBuffer dst, Deadline deadline) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer is read-only for '" + address + "'");
        }
        begin();
        try {
            Scratch scratch = scratch();
            Object state = scratch.state;
            boolean here = !Poller.isVirtual(Thread.currentThread());
            boolean untimed = here && !deadline.finite() && BlockingCall.available();
            // a direct buffer with room for any message takes it straight from the kernel, no copy
            boolean direct = dst.isDirect() && dst.remaining() >= maxMessageSize;
            long target = direct ? scratch.receiveAddress.of(dst) + dst.position() : scratch.bufferAddress;
            while (true) {
                if (pendingLength >= 0) {
                    synchronized (receiveLock) {
                        if (pendingLength >= 0) {
                            return deliverPending(dst);
                        }
                    }
                }
                checkWake("receive");
                boolean wait = here && !deadline.expired();
                long n;
                if (untimed) {
                    BlockingCall call = scratch.call();
                    try {
                        n = call.enter(this) ? HotCalls.mqTimedReceive(state, mqd, target, maxMessageSize,
                                scratch.priorityAddress, 0L) : -2;
                    } finally {
                        call.leave();
                    }
                    if (n == -2) {
                        continue;   // closed or interrupted: checkWake throws
                    }
                } else {
                    n = HotCalls.mqTimedReceive(state, mqd, target, maxMessageSize, scratch.priorityAddress,
                            wait ? scratch.until(deadline) : PAST_ADDRESS);
                }
                if (n >= 0) {
                    if (direct) {
                        dst.position(dst.position() + (int) n);
                        return scratch.received((int) n, scratch.numbers.getInt(Scratch.PRIORITY));
                    }
                    return deliver(dst, scratch, (int) n);
                }
                int errno = HotCalls.errno(state);
                if (errno == Errno.EINTR || (wait && errno == Errno.ETIMEDOUT)) {
                    continue;
                }
                if (errno != Errno.ETIMEDOUT && errno != Errno.EAGAIN) {
                    throw failure("mq_receive", errno);
                }
                if (deadline.expired() || !Poller.await(this, mqd, LibC.POLLIN, deadline, "receive")) {
                    return null;
                }
            }
        } finally {
            end();
        }
    }

    /**
     * Per-thread native buffers, so that no lock is held while a thread waits in the kernel, and an
     * absolute CLOCK_REALTIME timeout computed from Java's clock (no extra native call). Each is
     * read and written through a {@link ByteBuffer} view: JNA's {@code Memory} accessors are JNI
     * calls, which cost more than the copy.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> CURRENT = new ThreadLocal<>();
        final Thread owner = Thread.currentThread();
        /** The owner's {@link HotCalls#state()}. */
        final Object state = HotCalls.state();
        private BlockingCall call;
        /** The last result returned: a record, so equal results can share it. */
        Received last = new Received(0, 0);
        /** Offsets in {@link #numbers}: a timespec (two longs), then the received priority. */
        static final int TIMESPEC = 0;
        static final int PRIORITY = 16;
        final Memory buffer;
        final ByteBuffer view;
        final long bufferAddress;
        private final Memory numberMemory = new Memory(24);
        final ByteBuffer numbers = numberMemory.getByteBuffer(0, 24).order(java.nio.ByteOrder.nativeOrder());
        final long priorityAddress = Pointer.nativeValue(numberMemory) + PRIORITY;
        private final long timespecAddress = Pointer.nativeValue(numberMemory) + TIMESPEC;
        /** The direct buffers last sent from and received into, and their addresses. */
        final DirectAddress sendAddress = new DirectAddress();
        final DirectAddress receiveAddress = new DirectAddress();

        private Scratch(int size) {
            buffer = new Memory(Math.max(size, 64));
            view = buffer.getByteBuffer(0, buffer.size());
            bufferAddress = Pointer.nativeValue(buffer);
        }

        BlockingCall call() {
            BlockingCall c = BlockingCall.of(call);
            if (c != call) {
                call = c;
            }
            return c;
        }

        Received received(int length, int priority) {
            Received r = last;
            if (r.length() != length || r.priority() != priority) {
                r = new Received(length, priority);
                last = r;
            }
            return r;
        }

        static Scratch get(int size) {
            Scratch s = CURRENT.get();
            if (s == null || s.buffer.size() < size) {
                s = new Scratch(size);
                CURRENT.set(s);
            }
            return s;
        }

        /** The address of a timespec: now + one slice (or the time left). */
        long until(Deadline deadline) {
            java.time.Instant now = java.time.Instant.now();
            long nanos = now.getNano() + deadline.slice();
            numbers.putLong(TIMESPEC, now.getEpochSecond() + nanos / 1_000_000_000L);
            numbers.putLong(TIMESPEC + 8, nanos % 1_000_000_000L);
            return timespecAddress;
        }
    }

    /** This thread's scratch, sized for this queue. */
    private Scratch scratch() {
        Scratch s = lastScratch;
        if (s == null || s.owner != Thread.currentThread()) {
            s = Scratch.get(maxMessageSize);
            lastScratch = s;
        }
        return s;
    }

    /** Copies a message just received out, or keeps it pending if it does not fit. */
    private Received deliver(ByteBuffer dst, Scratch scratch, int length) throws MessageTooLargeException {
        int priority = scratch.numbers.getInt(Scratch.PRIORITY);
        if (length > dst.remaining()) {
            synchronized (receiveLock) {
                receiveView.put(0, scratch.view, 0, length);
                pendingPriority = priority;
                pendingLength = length;
            }
            throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
        }
        dst.put(dst.position(), scratch.view, 0, length);
        dst.position(dst.position() + length);
        return scratch.received(length, priority);
    }

    /** Copies the pending message out, or keeps it pending if it still does not fit. Holds receiveLock. */
    private Received deliverPending(ByteBuffer dst) throws MessageTooLargeException {
        int length = pendingLength;
        if (length > dst.remaining()) {
            throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
        }
        dst.put(dst.position(), receiveView, 0, length);
        dst.position(dst.position() + length);
        pendingLength = -1;
        return new Received(length, pendingPriority);
    }

    private IpcException failure(String call, int errno) {
        if (errno == Errno.EBADF && !isOpen()) {
            return new ObjectRemovedException(name, call + "(" + name + ") failed: the handle was closed");
        }
        if (errno == Errno.EMSGSIZE) {
            return new IpcException(name, call + "(" + name + ") failed: " + Errno.describe(errno)
                    + "; the queue's maxMessageSize=" + maxMessageSize);
        }
        return Errno.exception(call, name, errno, null);
    }

    @Override
    public void unlink() throws IOException {
        if (LibC.mq_unlink(name) != 0) {
            int errno = LibC.errno();
            throw Errno.exception("mq_unlink", name, errno,
                    errno == Errno.ENOENT ? "it was already removed or never existed" : null);
        }
    }

    /** Removes a queue by name; false if there was none. */
    public static boolean unlink(String name) {
        return LibC.mq_unlink(name) == 0;
    }

    @Override
    protected void freeNative() {
        LibC.mq_close(mqd);
    }

    @Override
    public String toString() {
        return "PosixMessageQueue[" + address + "]";
    }
}
