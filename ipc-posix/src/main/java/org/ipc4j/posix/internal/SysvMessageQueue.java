package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.Received;

/**
 * A SysV message queue ({@code msgget}, {@code msgsnd}, {@code msgrcv}).
 *
 * <p><b>Types and priorities.</b> Priorities run from 0 to {@value #MAX_PRIORITY}. A message of
 * priority {@code p} is sent with {@code mtype = 32 - p} (so priority 31 is type 1, priority 0 is
 * type 32); receive asks for {@code msgtyp = -LONG_MAX}, which takes the oldest message of the lowest
 * type, i.e. of the highest priority. A message a foreign peer sent with a type above 32 is received
 * as priority 0.
 *
 * <p>{@code MSG_NOERROR} is never used: the receive buffer always has room for the system's largest
 * message ({@code /proc/sys/kernel/msgmax}), and a message larger than the caller's buffer is kept on
 * this handle for the next receive. The kernel's SysV calls cannot be timed or polled, so blocking
 * forms retry the non-blocking call with a back-off from 100 microseconds up to 5 ms, parked in Java
 * (interruptible, ends on close, does not pin a virtual thread).
 */
public final class SysvMessageQueue extends Handle implements MessageQueue {
    /** Query keys this kind accepts besides the common ones. */
    public static final String[] KEYS = {"capacity", "maxMessageSize", "project"};
    /** The highest priority. */
    public static final int MAX_PRIORITY = 31;
    private static final long MIN_BACKOFF = 100_000L;
    private static final long MAX_BACKOFF = 5_000_000L;

    private final String address;
    private final String object;
    private final int id;
    private final int maxMessageSize;
    private final int capacity;
    private final int systemMax;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private final Memory sendBuffer;
    private final Memory receiveBuffer;
    private final Memory stat = new Memory(256);
    private int pendingLength = -1;
    private int pendingPriority;

    private SysvMessageQueue(String address, String object, int id, int capacity, int maxMessageSize, int systemMax) {
        super(address);
        this.capacity = capacity;
        this.address = address;
        this.object = object;
        this.id = id;
        this.maxMessageSize = maxMessageSize;
        this.systemMax = systemMax;
        this.sendBuffer = new Memory(8L + maxMessageSize);
        this.receiveBuffer = new Memory(8L + systemMax);
    }

    /** Opens {@code sysvmq:KEY-or-/path?...}. */
    public static SysvMessageQueue open(IpcAddress a) throws IOException {
        a.checkKeys(KEYS);
        int msgmax = (int) Limits.read(Limits.MSGMAX, 8192);
        long size = a.size("maxMessageSize", msgmax);
        if (size < 1) {
            throw a.invalid("maxMessageSize", "maxMessageSize must be 1 byte or more: maxMessageSize=" + size);
        }
        if (size > msgmax) {
            throw new org.ipc4j.ResourceLimitException(a.name(), "msgget(" + a.name() + "): maxMessageSize=" + size
                    + " is over the system limit msgmax=" + msgmax + " set in " + Limits.MSGMAX
                    + "; ask for at most " + msgmax);
        }
        long msgmnb = Limits.read(Limits.MSGMNB, 16384);
        int capacity = (int) a.integer("capacity", Math.max(1, msgmnb / size), 1, Integer.MAX_VALUE);
        int key = SysvKeys.key(a);
        // without create, ask for read and write (0600) so that the kernel checks access now
        int flags = a.create() ? a.mode() | LibC.IPC_CREAT : 0600;
        if (a.exclusive()) {
            flags |= LibC.IPC_EXCL;
        }
        int id = LibC.msgget(key, flags);
        if (id < 0) {
            throw Errno.last("msgget", a.name());
        }
        return new SysvMessageQueue(a.text(), a.name(), id, capacity, (int) size, msgmax);
    }

    @Override
    public String address() {
        return address;
    }

    /**
     * The {@code capacity} asked for in the address, by default the kernel's byte budget per queue
     * ({@code /proc/sys/kernel/msgmnb}) divided by {@link #maxMessageSize()}. The kernel counts bytes,
     * not messages, so this handle refuses a send while the queue already holds {@code capacity}
     * messages (checked with {@code IPC_STAT} just before {@code msgsnd}; concurrent senders in other
     * processes may pass the check together), and the kernel's byte budget may fill first.
     */
    @Override
    public int capacity() {
        return capacity;
    }

    private long queued() throws IOException {
        synchronized (stat) {
            if (LibC.msgctl(id, LibC.IPC_STAT, Pointer.nativeValue(stat)) != 0) {
                throw failure("msgctl(IPC_STAT)", LibC.errno());
            }
            return stat.getLong(80);
        }
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public int maxPriority() {
        return MAX_PRIORITY;
    }

    @Override
    public int size() throws IOException {
        begin();
        try {
            synchronized (stat) {
                if (LibC.msgctl(id, LibC.IPC_STAT, Pointer.nativeValue(stat)) != 0) {
                    throw failure("msgctl(IPC_STAT)", LibC.errno());
                }
                return (int) stat.getLong(80) + (pendingLength >= 0 ? 1 : 0);
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
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be 0 to " + MAX_PRIORITY + " for '" + address
                    + "' (SysV mtype = 32 - priority): priority=" + priority);
        }
        int length = message.remaining();
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        begin();
        try {
            long backoff = MIN_BACKOFF;
            while (true) {
                int rc;
                int errno;
                synchronized (sendLock) {
                    if (queued() >= capacity) {
                        rc = -1;
                        errno = Errno.EAGAIN;
                    } else {
                        sendBuffer.setLong(0, 32 - priority);
                        if (message.hasArray()) {
                            sendBuffer.write(8, message.array(), message.arrayOffset() + message.position(), length);
                        } else {
                            sendBuffer.getByteBuffer(8, length).put(message.duplicate());
                        }
                        rc = LibC.msgsnd(id, Pointer.nativeValue(sendBuffer), length, LibC.IPC_NOWAIT);
                        errno = rc == 0 ? 0 : LibC.errno();
                    }
                }
                if (rc == 0) {
                    message.position(message.limit());
                    return true;
                }
                if (errno != Errno.EAGAIN && errno != Errno.EINTR) {
                    throw failure("msgsnd", errno);
                }
                if (deadline.expired()) {
                    return false;
                }
                backoff = pause(backoff, deadline, "send");
            }
        } finally {
            end();
        }
    }

    private long pause(long backoff, Deadline deadline, String operation) throws IOException {
        LockSupport.parkNanos(this, Math.min(backoff, deadline.remaining()));
        checkWake(operation);
        return Math.min(backoff * 2, MAX_BACKOFF);
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
            long backoff = MIN_BACKOFF;
            while (true) {
                long n;
                int errno;
                synchronized (receiveLock) {
                    if (pendingLength >= 0) {
                        return deliver(dst, pendingLength, pendingPriority);
                    }
                    n = LibC.msgrcv(id, Pointer.nativeValue(receiveBuffer), systemMax, -Long.MAX_VALUE,
                            LibC.IPC_NOWAIT);
                    errno = n >= 0 ? 0 : LibC.errno();
                    if (n >= 0) {
                        long type = receiveBuffer.getLong(0);
                        int priority = type >= 1 && type <= 32 ? (int) (32 - type) : 0;
                        return deliver(dst, (int) n, priority);
                    }
                }
                if (errno != Errno.ENOMSG && errno != Errno.EINTR && errno != Errno.EAGAIN) {
                    throw failure("msgrcv", errno);
                }
                if (deadline.expired()) {
                    return null;
                }
                backoff = pause(backoff, deadline, "receive");
            }
        } finally {
            end();
        }
    }

    private Received deliver(ByteBuffer dst, int length, int priority) throws MessageTooLargeException {
        if (length > dst.remaining()) {
            pendingLength = length;
            pendingPriority = priority;
            throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
        }
        pendingLength = -1;
        dst.put(receiveBuffer.getByteBuffer(8, length));
        return new Received(length, priority);
    }

    private IpcException failure(String call, int errno) {
        if (errno == Errno.EIDRM || errno == Errno.EINVAL) {
            return new ObjectRemovedException(object, call + "(" + object + ") failed: " + Errno.describe(errno)
                    + "; the queue was removed (IPC_RMID) by another process");
        }
        return Errno.exception(call, object, errno, null);
    }

    @Override
    public void unlink() throws IOException {
        if (LibC.msgctl(id, LibC.IPC_RMID, 0L) != 0) {
            int errno = LibC.errno();
            if (errno == Errno.EINVAL || errno == Errno.EIDRM) {
                throw new ObjectNotFoundException(object, "msgctl(" + object + ", IPC_RMID) failed: "
                        + Errno.describe(errno) + "; it was already removed");
            }
            throw Errno.exception("msgctl(IPC_RMID)", object, errno, null);
        }
    }

    @Override
    protected void freeNative() {
        // a SysV queue has no per-process handle to free
    }

    @Override
    public String toString() {
        return "SysvMessageQueue[" + address + "]";
    }
}
