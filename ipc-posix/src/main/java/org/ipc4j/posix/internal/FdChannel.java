package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.PeerClosedException;

/**
 * A {@link Channel} over one read and/or one write descriptor of a pipe or FIFO. Both descriptors
 * are non-blocking; timed waits, and every wait of a virtual thread, happen in {@code poll} (the
 * {@link Poller}), so they are interruptible, end on close and leave virtual threads unpinned.
 *
 * <p>An untimed receive on a platform thread blocks in {@code read} itself, as a C program would:
 * one system call per message instead of poll-then-read. It reads from a second, blocking
 * descriptor of the same pipe, opened through {@code /proc/self/fd} when first needed: a new open
 * file description, private to this channel, so the blocking mode changes nothing for the other
 * descriptor or for other processes that share it. Close and interrupts end that read with a
 * signal ({@link BlockingCall}). Where that cannot be had, it waits in {@code poll} as before.
 *
 * <p>Framed (default): each message is a 4-byte big-endian length and the bytes, written with one
 * {@code write} (atomic up to PIPE_BUF, 4096 bytes, so concurrent writers from several processes do
 * not interleave small messages). Bytes of a partly read message stay in this channel's buffer, so a
 * receive that times out consumes nothing. Raw ({@code framing=raw}): bytes as they come.
 *
 * <p>A send that times out before writing anything throws {@link IpcTimeoutException}; once part of
 * a frame is written, it completes (or fails on close or peer loss), since a half frame would break
 * the stream.
 */
public class FdChannel extends Handle implements Channel {
    /** Default largest message: 64 KiB. */
    public static final int DEFAULT_MAX_MESSAGE = 64 * 1024;
    /** Bytes of the length prefix. */
    public static final int HEADER = 4;

    private final String address;
    private final int readFd;
    private final int writeFd;
    private final boolean framed;
    private final int maxMessageSize;
    private final Set<Property> properties;
    private final DirectionLock sendLock = new DirectionLock();
    private final DirectionLock receiveLock = new DirectionLock();
    private final Memory sendBuffer;
    /** The buffers seen as big-endian ByteBuffers: JNA's Memory accessors are JNI calls, dearer than a copy. */
    private final java.nio.ByteBuffer sendView;
    private final Memory receiveBuffer;
    private final Memory pollFd = new Memory(8);
    private final java.nio.ByteBuffer receiveView;
    private int have;
    /** Not opened yet. */
    private static final int UNOPENED = -2;
    /** A blocking descriptor of the read end's pipe, -1 if none can be had, or {@link #UNOPENED}. Under receiveLock. */
    private int blockingReadFd = UNOPENED;
    /** The last receiving thread's {@link HotCalls#state()}, and its blocking call. Under receiveLock. */
    private final CallerState receiveCaller = new CallerState();
    private BlockingCall receiveCall;
    /** The last sending thread's {@link HotCalls#state()}. Under sendLock. */
    private final CallerState sendCaller = new CallerState();
    private final long sendAddress;
    private final long receiveAddress;
    private boolean waitedLast;
    private boolean endOfStream;

    protected FdChannel(String address, int readFd, int writeFd, boolean framed, int maxMessageSize) {
        super(address);
        this.address = address;
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.framed = framed;
        this.maxMessageSize = maxMessageSize;
        EnumSet<Property> p = EnumSet.of(Property.RELIABLE, Property.ORDERED);
        if (readFd >= 0 && writeFd >= 0) {
            p.add(Property.BIDIRECTIONAL);
        }
        this.properties = Set.copyOf(p);
        this.sendBuffer = writeFd >= 0 ? new Memory(HEADER + (long) maxMessageSize) : null;
        this.receiveBuffer = readFd >= 0 ? new Memory(HEADER + (long) maxMessageSize) : null;
        this.sendView = writeFd >= 0 ? sendBuffer.getByteBuffer(0, HEADER + (long) maxMessageSize).order(java.nio.ByteOrder.BIG_ENDIAN) : null;
        this.receiveView = readFd >= 0 ? receiveBuffer.getByteBuffer(0, HEADER + (long) maxMessageSize).order(java.nio.ByteOrder.BIG_ENDIAN) : null;
        this.sendAddress = writeFd >= 0 ? Pointer.nativeValue(sendBuffer) : 0;
        this.receiveAddress = readFd >= 0 ? Pointer.nativeValue(receiveBuffer) : 0;
    }

    /** Reads {@code framing} and {@code maxMessageSize} of an address: true for framed. */
    static boolean framed(IpcAddress a) throws IOException {
        String f = a.string("framing").orElse("length");
        if (!f.equals("length") && !f.equals("raw")) {
            throw a.invalid("framing", "framing must be 'length' (4-byte big-endian length, the default) or 'raw': framing=" + f);
        }
        return f.equals("length");
    }

    static int maxMessageSize(IpcAddress a) throws IOException {
        long size = a.size("maxMessageSize", DEFAULT_MAX_MESSAGE);
        if (size < 1 || size > 64L * 1024 * 1024) {
            throw a.invalid("maxMessageSize", "maxMessageSize must be 1 byte to 64MiB: maxMessageSize=" + size);
        }
        return (int) size;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Set<Property> properties() {
        return properties;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        doSend(message, Deadline.never());
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        if (!doSend(message, Deadline.after(timeout))) {
            throw new IpcTimeoutException(address, "send", timeout);
        }
    }

    private boolean doSend(ByteBuffer message, Deadline deadline) throws IOException {
        int length = message.remaining();
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        if (writeFd < 0) {
            throw new IpcException(address, "'" + address + "' was opened for reading only; it cannot send");
        }
        begin();
        try {
            if (!sendLock.lock(deadline, this, "send")) {
                return false;
            }
            try {
                int header = framed ? HEADER : 0;
                if (framed) {
                    sendView.putInt(0, length);
                }
                sendView.put(header, message, message.position(), length);
                long total = (long) header + length;
                long written = 0;
                long base = sendAddress;
                Object state = sendCaller.of(Thread.currentThread());
                while (written < total) {
                    long n = HotCalls.write(state, writeFd, base + written, total - written);
                    if (n >= 0) {
                        written += n;
                        continue;
                    }
                    int errno = HotCalls.errno(state);
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    if (errno == Errno.EPIPE) {
                        throw new PeerClosedException(address, "write to '" + address
                                + "' failed: EPIPE (errno=32, broken pipe): the reading side closed or died");
                    }
                    if (errno != Errno.EAGAIN) {
                        throw Errno.exception("write", address, errno, null);
                    }
                    Deadline wait = written == 0 ? deadline : Deadline.never();
                    if (wait.expired() || !Poller.await(this, writeFd, LibC.POLLOUT, wait, "send")) {
                        return false;
                    }
                }
                message.position(message.limit());
                return true;
            } finally {
                sendLock.unlock();
            }
        } finally {
            end();
        }
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        return doReceive(dst, Deadline.never());
    }

    @Override
    public int receive(ByteBuffer dst, Duration timeout) throws IOException {
        int n = doReceive(dst, Deadline.after(timeout));
        if (n == Integer.MIN_VALUE) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        return n;
    }

    /** The message length, -1 at end of stream, or {@link Integer#MIN_VALUE} on timeout. */
    private int doReceive(ByteBuffer dst, Deadline deadline) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer is read-only for '" + address + "'");
        }
        if (readFd < 0) {
            throw new IpcException(address, "'" + address + "' was opened for writing only; it cannot receive");
        }
        begin();
        try {
            if (!receiveLock.lock(deadline, this, "receive")) {
                return Integer.MIN_VALUE;
            }
            try {
                if (!framed) {
                    if (endOfStream) {
                        return -1;
                    }
                    int want = Math.min(dst.remaining(), maxMessageSize);
                    if (want == 0) {
                        return 0;
                    }
                    int n = fill(0, want, deadline);
                    if (n <= 0) {
                        return n;
                    }
                    dst.put(dst.position(), receiveView, 0, n);
                    dst.position(dst.position() + n);
                    return n;
                }
                while (have < HEADER) {
                    if (endOfStream && have == 0) {
                        return -1;
                    }
                    int n = fill(have, capacity() - have, deadline);
                    if (n == Integer.MIN_VALUE) {
                        return n;
                    }
                    if (n < 0) {
                        if (have == 0) {
                            return -1;
                        }
                        throw truncated();
                    }
                    have += n;
                }
                int length = receiveView.getInt(0);
                if (length < 0 || length > maxMessageSize) {
                    throw new IpcProtocolException(address, "the peer on '" + address + "' sent a frame of length="
                            + length + ", over maxMessageSize=" + maxMessageSize
                            + "; both ends must agree on framing and maxMessageSize");
                }
                if (length > dst.remaining()) {
                    throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
                }
                while (have < HEADER + length) {
                    int n = fill(have, capacity() - have, deadline);
                    if (n == Integer.MIN_VALUE) {
                        return n;
                    }
                    if (n < 0) {
                        throw truncated();
                    }
                    have += n;
                }
                dst.put(dst.position(), receiveView, HEADER, length);
                dst.position(dst.position() + length);
                int consumed = HEADER + length;
                if (have > consumed) {
                    // bytes of the next frames came with this one: move them to the front
                    receiveView.clear().position(consumed).limit(have);
                    receiveView.compact();
                }
                have -= consumed;
                return length;
            } finally {
                receiveLock.unlock();
            }
        } finally {
            end();
        }
    }

    private IpcProtocolException truncated() {
        return new IpcProtocolException(address, "the peer on '" + address
                + "' closed in the middle of a message after " + have + " bytes of its frame");
    }

    /**
     * Reads up to {@code want} bytes at {@code offset} of the receive buffer, waiting for data.
     *
     * @return bytes read (at least 1), -1 at end of stream, {@link Integer#MIN_VALUE} on timeout
     */
    private int fill(int offset, int want, Deadline deadline) throws IOException {
        long base = receiveAddress;
        Thread me = Thread.currentThread();
        Object state = receiveCaller.of(me);
        if (!deadline.finite() && !Poller.isVirtual(me) && blockingReadFd() >= 0) {
            int n = readBlocking(state, base + offset, want);
            if (n != NO_WRITER) {
                return n;
            }
            waitedLast = true;   // a FIFO no writer opened yet: wait for one in poll
        }
        if (waitedLast && !deadline.expired() && !Poller.isVirtual(me)) {
            // the last read had to wait, so this one probably will: poll first and save a read
            if (!Poller.await(this, readFd, LibC.POLLIN, deadline, "receive")) {
                return Integer.MIN_VALUE;
            }
        }
        waitedLast = false;
        while (true) {
            long n = HotCalls.read(state, readFd, base + offset, want);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                if (reachedEndOfStream()) {
                    return -1;
                }
                // a FIFO that no writer has opened yet reads as empty: wait for one
            } else {
                int errno = HotCalls.errno(state);
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno != Errno.EAGAIN) {
                    throw Errno.exception("read", address, errno, null);
                }
            }
            waitedLast = true;
            if (deadline.expired() || !Poller.await(this, readFd, LibC.POLLIN, deadline, "receive")) {
                return Integer.MIN_VALUE;
            }
        }
    }

    /** What {@link #readBlocking} returns for a FIFO that no writer has opened yet. */
    private static final int NO_WRITER = Integer.MIN_VALUE + 1;

    /**
     * Reads in a blocking {@code read} until data, end of stream, close or interrupt.
     *
     * @return bytes read (at least 1), -1 at end of stream, {@link #NO_WRITER}
     */
    private int readBlocking(Object state, long address, int want) throws IOException {
        BlockingCall call = BlockingCall.of(receiveCall);
        if (call != receiveCall) {
            receiveCall = call;
        }
        try {
            if (!call.enter(this)) {
                checkWake("receive");
            }
            while (true) {
                long n = HotCalls.read(state, blockingReadFd, address, want);
                if (n > 0) {
                    return (int) n;
                }
                if (n == 0) {
                    return reachedEndOfStream() ? -1 : NO_WRITER;
                }
                int errno = HotCalls.errno(state);
                if (errno != Errno.EINTR) {
                    throw Errno.exception("read", this.address, errno, null);
                }
                checkWake("receive");   // woken by close or an interrupt, or another signal: then read on
            }
        } finally {
            call.leave();
        }
    }

    /**
     * The blocking descriptor, opened on first use: a new open file description of the read end's
     * pipe through {@code /proc/self/fd}, so that its blocking mode is private to it; -1 if signals
     * cannot wake a blocked call here or the reopen fails (then waits go through poll).
     */
    private int blockingReadFd() {
        int fd = blockingReadFd;
        if (fd != UNOPENED) {
            return fd;
        }
        fd = -1;
        if (BlockingCall.available()) {
            fd = LibC.open("/proc/self/fd/" + readFd, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
            if (fd >= 0) {
                int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
                if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK) != 0) {
                    LibC.close(fd);
                    fd = -1;
                }
            }
        }
        blockingReadFd = fd;
        return fd;
    }

    private int capacity() {
        return HEADER + maxMessageSize;
    }

    /** After a read of 0 bytes: true, noted, if the writers are gone; false for a FIFO no writer opened yet. */
    private boolean reachedEndOfStream() {
        if (hungUp()) {
            endOfStream = true;
        }
        return endOfStream;
    }

    /**
     * True if the writers are gone after having been there. Linux reports POLLHUP on a pipe's read end
     * only once a writer came and left, not before the first writer opens a FIFO.
     */
    private boolean hungUp() {
        synchronized (pollFd) {
            pollFd.setInt(0, readFd);
            pollFd.setShort(4, LibC.POLLIN);
            pollFd.setShort(6, (short) 0);
            int r = LibC.poll(Pointer.nativeValue(pollFd), 1, 0);
            short revents = pollFd.getShort(6);
            return r > 0 && (revents & LibC.POLLHUP) != 0 && (revents & LibC.POLLIN) == 0;
        }
    }

    /** The read descriptor, or -1. */
    protected int readFd() {
        return readFd;
    }

    /** The write descriptor, or -1. */
    protected int writeFd() {
        return writeFd;
    }

    @Override
    protected void freeNative() {
        if (readFd >= 0) {
            LibC.close(readFd);
        }
        if (blockingReadFd >= 0) {
            LibC.close(blockingReadFd);
        }
        if (writeFd >= 0) {
            LibC.close(writeFd);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address + "]";
    }
}
