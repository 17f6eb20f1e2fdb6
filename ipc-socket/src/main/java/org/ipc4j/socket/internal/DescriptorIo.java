package org.ipc4j.socket.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads, writes and waits on a connected socket's descriptor (stream or datagram) directly, through libc, so a
 * receive that must wait costs what it costs in C: one blocking {@code recv}. The JDK's and
 * junixsocket's blocking reads cannot be used for that: an interrupt closes their channel. Here
 * {@link InterruptibleCall} turns an interrupt into EINTR instead, and {@link #shutdown()} (from
 * close) wakes every blocked call; the descriptor itself stays owned, and is closed, by its socket
 * object, after the caller made sure no thread is inside a call.
 *
 * <p>The descriptor is switched to blocking mode; every call that must not block passes
 * {@code MSG_DONTWAIT}. Virtual threads never block in a native call here: they poll without waiting
 * and park between polls. Reads and writes may run at once (one thread each); each direction keeps
 * its own scratch memory and interrupt hook.
 */
public final class DescriptorIo implements ReadableByteChannel {
    private static final int STAGING = 64 * 1024;
    /** Buffers one gathering send takes. */
    private static final int GATHER_MAX = 4;
    private static final int MSGHDR_SIZE = 56;
    private static final int MSGHDR_IOV = 16;
    private static final int MSGHDR_IOVLEN = 24;
    private static final int IOVEC_SIZE = 16;
    private static final long VIRTUAL_PARK_MIN = 20_000;
    private static final long VIRTUAL_PARK_MAX = 5_000_000;
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final int fd;
    private final Direction in = new Direction();
    private final Direction out = new Direction();
    private final ReadableByteChannel blockingReader = new BlockingReader();
    /** A msghdr followed by its iovecs, for gathering sends (send lock). */
    private final Memory gather = new Memory(MSGHDR_SIZE + GATHER_MAX * IOVEC_SIZE);

    /** Per direction: a pollfd, a staging buffer for heap buffers, the interrupt hook, the last buffer's address. */
    private static final class Direction {
        final Memory pollfd = new Memory(8);
        ByteBuffer staging;
        InterruptibleCall call;
        /** The direct buffer last used and its address: the same few buffers come back every call. */
        ByteBuffer lastBuffer;
        long lastAddress;

        long address(ByteBuffer direct) {
            if (direct != lastBuffer) {
                lastAddress = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
                lastBuffer = direct;
            }
            return lastAddress;
        }

        ByteBuffer staging() {
            return staging(STAGING);
        }

        /** A staging buffer of at least {@code need} bytes (a datagram is copied whole). */
        ByteBuffer staging(int need) {
            if (staging == null || staging.capacity() < need) {
                staging = ByteBuffer.allocateDirect(Math.max(STAGING, need));
            }
            return staging;
        }

        InterruptibleCall call() {
            InterruptibleCall c = call;
            if (c == null || !c.isOpen()) {
                c = call = new InterruptibleCall();
            }
            return c;
        }
    }

    /**
     * @param fd a connected stream socket, or a bound and connected datagram socket; switched to
     *     blocking mode here
     * @throws IOException if the mode cannot be set
     */
    public DescriptorIo(int fd) throws IOException {
        this.fd = fd;
        int flags = DescriptorCalls.fcntl(fd, DescriptorCalls.F_GETFL, 0);
        if (flags < 0 || DescriptorCalls.fcntl(fd, DescriptorCalls.F_SETFL, flags & ~DescriptorCalls.O_NONBLOCK) < 0) {
            throw new IOException("fcntl(" + fd + ") failed: errno=" + Native.getLastError());
        }
    }

    /** Why descriptor I/O cannot be used in this JVM, or null if it can. */
    public static Throwable unavailable() {
        return DescriptorCalls.unavailable();
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;  // Java 17-20: no virtual threads
        }
    }

    /** True if the calling thread may block in a native call (it is not a virtual thread). */
    public static boolean mayBlock() {
        if (IS_VIRTUAL == null) {
            return true;
        }
        try {
            return !(boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable t) {
            return true;
        }
    }

    /** A channel view whose reads block until data, end of stream, an interrupt or close (then 0). */
    public ReadableByteChannel blockingReader() {
        return blockingReader;
    }

    /** Always true: the socket object owns the descriptor and tells whether it is open. */
    @Override
    public boolean isOpen() {
        return true;
    }

    /** Does nothing: the socket object owns the descriptor and closes it. */
    @Override
    public void close() {
    }

    /**
     * Reads what is there without waiting.
     *
     * @return bytes read, 0 if none were there, -1 at end of stream
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, DescriptorCalls.MSG_DONTWAIT);
    }

    private int read(ByteBuffer dst, int flags) throws IOException {
        int room = dst.remaining();
        if (room == 0) {
            return 0;
        }
        boolean blocking = flags == 0;
        ByteBuffer target = dst.isDirect() ? dst : in.staging();
        int length = dst.isDirect() ? room : Math.min(room, STAGING);
        long address = in.address(target) + (dst.isDirect() ? dst.position() : 0);
        long n;
        int errno = 0;
        if (blocking) {
            InterruptibleCall call = in.call();
            if (!call.enter()) {
                call.leave();
                return 0;
            }
            try {
                n = DescriptorCalls.recv(fd, address, length, 0);
                if (n < 0) {
                    errno = Native.getLastError();
                }
            } finally {
                call.leave();
            }
        } else {
            n = DescriptorCalls.recv(fd, address, length, flags);
            if (n < 0) {
                errno = Native.getLastError();
            }
        }
        if (n > 0) {
            if (!dst.isDirect()) {
                dst.put(dst.position(), target, 0, (int) n);
            }
            dst.position(dst.position() + (int) n);
            return (int) n;
        }
        if (n == 0) {
            return -1;
        }
        if (errno == DescriptorCalls.EAGAIN || errno == DescriptorCalls.EINTR) {
            return 0;
        }
        throw error("recv", errno);
    }

    /**
     * Writes what the socket takes without waiting.
     *
     * @return bytes written, 0 if the socket is full
     */
    public int write(ByteBuffer src) throws IOException {
        int length = src.remaining();
        if (length == 0) {
            return 0;
        }
        long address;
        if (src.isDirect()) {
            address = out.address(src) + src.position();
        } else {
            ByteBuffer staging = out.staging();
            length = Math.min(length, STAGING);
            staging.put(0, src, src.position(), length);
            address = out.address(staging);
        }
        long n = DescriptorCalls.send(fd, address, length, DescriptorCalls.MSG_DONTWAIT | DescriptorCalls.MSG_NOSIGNAL);
        if (n >= 0) {
            src.position(src.position() + (int) n);
            return (int) n;
        }
        int errno = Native.getLastError();
        if (errno == DescriptorCalls.EAGAIN || errno == DescriptorCalls.EINTR) {
            return 0;
        }
        throw error("send", errno);
    }

    /**
     * Writes the buffers in order without waiting, in one system call so a frame's header and payload
     * leave together: direct buffers in one gathering {@code sendmsg}, heap buffers copied (up to 64 KiB)
     * into one {@code send}.
     *
     * @return bytes written, 0 if the socket is full
     */
    public long write(ByteBuffer[] srcs, int offset, int count) throws IOException {
        return write(srcs, offset, count, false);
    }

    /**
     * Like {@link #write(ByteBuffer[], int, int)}, but waits in the kernel while the socket is full, as a
     * blocking write in C does, until all is written, an interrupt (then what was written so far, or 0)
     * or {@link #shutdown()}. Not for virtual threads.
     */
    public long writeBlocking(ByteBuffer[] srcs, int offset, int count) throws IOException {
        return write(srcs, offset, count, true);
    }

    private long write(ByteBuffer[] srcs, int offset, int count, boolean blocking) throws IOException {
        int flags = blocking ? DescriptorCalls.MSG_NOSIGNAL : DescriptorCalls.MSG_DONTWAIT | DescriptorCalls.MSG_NOSIGNAL;
        boolean direct = count <= GATHER_MAX;
        for (int i = offset; direct && i < offset + count; i++) {
            direct = srcs[i].isDirect();
        }
        if (direct) {
            return gatheringWrite(srcs, offset, count, flags);
        }
        // heap buffers: as much as the staging buffer holds, copied, then one send
        ByteBuffer staging = out.staging();
        int length = 0;
        for (int i = offset; i < offset + count && length < STAGING; i++) {
            int step = Math.min(STAGING - length, srcs[i].remaining());
            staging.put(length, srcs[i], srcs[i].position(), step);
            length += step;
        }
        if (length == 0) {
            return 0;
        }
        long n;
        int errno = 0;
        InterruptibleCall call = flags == DescriptorCalls.MSG_NOSIGNAL ? out.call() : null;
        if (call != null && !call.enter()) {
            call.leave();
            return 0;
        }
        try {
            n = DescriptorCalls.send(fd, out.address(staging), length, flags);
            if (n < 0) {
                errno = Native.getLastError();
            }
        } finally {
            if (call != null) {
                call.leave();
            }
        }
        if (n < 0) {
            if (errno == DescriptorCalls.EAGAIN || errno == DescriptorCalls.EINTR) {
                return 0;
            }
            throw error("send", errno);
        }
        advance(srcs, offset, count, n);
        return n;
    }

    private static void advance(ByteBuffer[] srcs, int offset, int count, long written) {
        long left = written;
        for (int i = offset; i < offset + count && left > 0; i++) {
            int step = (int) Math.min(left, srcs[i].remaining());
            srcs[i].position(srcs[i].position() + step);
            left -= step;
        }
    }

    private long gatheringWrite(ByteBuffer[] srcs, int offset, int count, int flags) throws IOException {
        long iov = Pointer.nativeValue(gather) + MSGHDR_SIZE;
        gather.clear(MSGHDR_SIZE);
        gather.setLong(MSGHDR_IOV, iov);
        gather.setLong(MSGHDR_IOVLEN, count);
        for (int i = 0; i < count; i++) {
            ByteBuffer b = srcs[offset + i];
            // addresses are looked up afresh: the header and payload buffers differ from call to call
            long address = Pointer.nativeValue(Native.getDirectBufferPointer(b));
            gather.setLong(MSGHDR_SIZE + i * IOVEC_SIZE, address + b.position());
            gather.setLong(MSGHDR_SIZE + i * IOVEC_SIZE + 8, b.remaining());
        }
        long n;
        int errno = 0;
        InterruptibleCall call = flags == DescriptorCalls.MSG_NOSIGNAL ? out.call() : null;
        if (call != null && !call.enter()) {
            call.leave();
            return 0;
        }
        try {
            n = DescriptorCalls.sendmsg(fd, Pointer.nativeValue(gather), flags);
            if (n < 0) {
                errno = Native.getLastError();
            }
        } finally {
            if (call != null) {
                call.leave();
            }
        }
        if (n < 0) {
            if (errno == DescriptorCalls.EAGAIN || errno == DescriptorCalls.EINTR) {
                return 0;
            }
            throw error("sendmsg", errno);
        }
        advance(srcs, offset, count, n);
        return n;
    }

    /**
     * Receives one datagram into {@code dst} (direct) at its position, without moving the position;
     * a datagram longer than what remains is cut, and its real length returned ({@code MSG_TRUNC}).
     * With {@code block} (not for virtual threads) waits in the kernel until a datagram, an interrupt
     * or {@link #shutdown()}.
     *
     * @return the datagram's real length, which may exceed {@code dst.remaining()} (0 for an empty
     *     datagram, and after {@link #shutdown()}: the caller checks its own closed flag), or -1 if none
     *     was there or an interrupt ended the wait
     * @throws java.net.PortUnreachableException if an earlier datagram was refused (ECONNREFUSED)
     */
    public int receiveDatagram(ByteBuffer dst, boolean block) throws IOException {
        long address = in.address(dst) + dst.position();
        int length = dst.remaining();
        long n;
        int errno = 0;
        if (block) {
            InterruptibleCall call = in.call();
            if (!call.enter()) {
                call.leave();
                return -1;
            }
            try {
                n = DescriptorCalls.recv(fd, address, length, DescriptorCalls.MSG_TRUNC);
                if (n < 0) {
                    errno = Native.getLastError();
                }
            } finally {
                call.leave();
            }
        } else {
            n = DescriptorCalls.recv(fd, address, length, DescriptorCalls.MSG_DONTWAIT | DescriptorCalls.MSG_TRUNC);
            if (n < 0) {
                errno = Native.getLastError();
            }
        }
        if (n >= 0) {
            return (int) Math.min(n, Integer.MAX_VALUE);
        }
        if (errno == DescriptorCalls.EAGAIN || errno == DescriptorCalls.EINTR) {
            return -1;
        }
        throw error("recv", errno);
    }

    /**
     * Runs the JDK channel's own {@code read} on this descriptor, which this class made blocking, inside
     * the receive direction's interrupt hook: it waits in the kernel as {@link #receiveDatagram} does,
     * through the JDK's JNI binding, which costs less per call than JNA. The channel must be a
     * connected {@code DatagramChannel} in (JDK) non-blocking mode, so the JDK neither closes it on an
     * interrupt nor waits itself. Not for virtual threads.
     *
     * @return the datagram's length (0 for an empty datagram, and after {@link #shutdown()}: the caller
     *     checks its own closed flag), or -1 if an interrupt ended the wait (EINTR)
     * @throws java.net.PortUnreachableException if an earlier datagram was refused
     */
    public int readThrough(ReadableByteChannel jdk, ByteBuffer dst) throws IOException {
        InterruptibleCall call = in.call();
        if (!call.enter()) {
            call.leave();
            return -1;
        }
        try {
            int n = jdk.read(dst);
            // the JDK reports a zero-length recv as end of stream (-1) and EINTR, on a channel it
            // believes non-blocking, as a status below -1
            return n >= 0 ? n : n == -1 ? 0 : -1;
        } finally {
            call.leave();
        }
    }

    /**
     * Runs the JDK channel's own {@code write} on this descriptor inside the send direction's interrupt
     * hook, for the same reason as {@link #readThrough}: a full socket is waited for in the kernel,
     * until space, an interrupt or {@link #shutdown()}. Not for virtual threads.
     *
     * @return bytes written, or 0 if an interrupt came first
     */
    public int writeThrough(WritableByteChannel jdk, ByteBuffer src) throws IOException {
        InterruptibleCall call = out.call();
        if (!call.enter()) {
            call.leave();
            return 0;
        }
        try {
            return Math.max(0, jdk.write(src));
        } finally {
            call.leave();
        }
    }

    /**
     * Sends {@code src}'s remaining bytes as one datagram (an empty one too) without waiting, and
     * leaves its position alone.
     *
     * @return true if sent, false if the socket is full (or a signal came first)
     * @throws java.net.PortUnreachableException if the peer refused (ECONNREFUSED: a UDP peer's port
     *     was closed earlier, or a Unix datagram peer is gone)
     */
    public boolean sendDatagram(ByteBuffer src) throws IOException {
        int length = src.remaining();
        long address;
        if (src.isDirect()) {
            address = out.address(src) + src.position();
        } else {
            ByteBuffer staging = out.staging(length);
            staging.put(0, src, src.position(), length);
            address = out.address(staging);
        }
        long n = DescriptorCalls.send(fd, address, length, DescriptorCalls.MSG_DONTWAIT | DescriptorCalls.MSG_NOSIGNAL);
        if (n >= 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == DescriptorCalls.EAGAIN || errno == DescriptorCalls.EINTR) {
            return false;
        }
        throw error("send", errno);
    }

    /**
     * Waits until the socket is readable ({@code forRead}) or writable, the deadline passes, the
     * thread is interrupted or {@link #shutdown()} is called. Spurious returns are allowed.
     *
     * @return false if the deadline had already passed, true otherwise
     */
    public boolean await(boolean forRead, long deadline) throws IOException {
        Direction d = forRead ? in : out;
        short events = forRead ? DescriptorCalls.POLLIN : DescriptorCalls.POLLOUT;
        int millis = -1;
        if (deadline != Readiness.NO_DEADLINE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (left + 999_999) / 1_000_000));
        }
        d.pollfd.setInt(0, fd);
        d.pollfd.setShort(4, events);
        d.pollfd.setShort(6, (short) 0);
        long pollfd = Pointer.nativeValue(d.pollfd);
        if (!mayBlock()) {
            return awaitVirtual(pollfd, deadline);
        }
        InterruptibleCall call = d.call();
        try {
            if (call.enter()) {
                int r = DescriptorCalls.poll(pollfd, 1, millis);
                if (r < 0) {
                    int errno = Native.getLastError();
                    if (errno != DescriptorCalls.EINTR) {
                        throw error("poll", errno);
                    }
                }
            }
        } finally {
            call.leave();
        }
        return true;
    }

    /** A virtual thread polls without waiting and parks between polls, so its carrier stays free. */
    private boolean awaitVirtual(long pollfd, long deadline) {
        long pause = VIRTUAL_PARK_MIN;
        while (DescriptorCalls.poll(pollfd, 1, 0) == 0 && !Thread.currentThread().isInterrupted()) {
            long left = deadline == Readiness.NO_DEADLINE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(2 * pause, VIRTUAL_PARK_MAX);
        }
        return true;
    }

    /** Wakes every thread blocked on the socket (shutdown both ways); call on close, before the descriptor goes. */
    public void shutdown() {
        DescriptorCalls.shutdown(fd, DescriptorCalls.SHUT_RDWR);
    }

    private IOException error(String call, int errno) {
        // the messages the channel's error translation recognises as a peer gone
        switch (errno) {
            case 104:
                return new SocketException("Connection reset (" + call + " on descriptor " + fd + ")");
            case 32:
                return new SocketException("Broken pipe (" + call + " on descriptor " + fd + ")");
            case 107:
                return new SocketException("Socket is not connected (" + call + " on descriptor " + fd + ")");
            case DescriptorCalls.ECONNREFUSED:
                return new java.net.PortUnreachableException("Connection refused (" + call + " on descriptor " + fd + ")");
            case DescriptorCalls.EMSGSIZE:
                return new SocketException("Message too long (" + call + " on descriptor " + fd + ")");
            default:
                return new IOException(call + " on descriptor " + fd + " failed: errno=" + errno);
        }
    }

    private final class BlockingReader implements ReadableByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return DescriptorIo.this.read(dst, 0);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // the socket object owns the descriptor
        }
    }
}
