package org.ipc4j.socket.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.PeerClosedException;
import org.ipc4j.PeerCredentials;
import org.ipc4j.socket.DescriptorChannel;
import org.ipc4j.socket.PassedDescriptor;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A channel over a connected stream socket (TCP, or Unix through the JDK or junixsocket), in
 * non-blocking mode: every wait is a selector wait with a deadline, so timeouts, interrupts (which
 * leave the channel open) and closes from other threads all work the same way.
 *
 * <p>Framed mode sends a 4-byte big-endian length before each message ({@link FrameDecoder});
 * raw mode sends and receives bytes as they are.
 */
public final class StreamChannel implements DescriptorChannel {
    private static final int SEND_BUFFER = 16 * 1024;
    private static final int ANCILLARY_BUFFER = 512;
    /** How long close() waits to finish a message a timed send left half-written. */
    static final Duration CLOSE_FLUSH = Duration.ofSeconds(10);
    /** Frames at least this long are read straight into the caller's buffer. */
    private static final int DIRECT_MIN = 32 * 1024;

    private final String address;
    private final SocketChannel socket;
    /** The junixsocket channel when its own reads and writes are used (descriptor passing), else null. */
    private final AFUNIXSocketChannel unix;
    /** Direct descriptor I/O (Unix stream, {@code impl=native}), else null: then the socket's own methods. */
    private final DescriptorIo io;
    private final boolean raw;
    private final int maxMessageSize;
    private final Set<Property> properties;
    private final PeerCredentials credentials;

    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final Readiness readable;
    private final Readiness writable;
    private final FrameDecoder decoder;
    /** Direct, so a gathering send takes it with a direct payload in one call. */
    private final ByteBuffer header = ByteBuffer.allocateDirect(FrameDecoder.HEADER_BYTES);
    private final ByteBuffer[] gather = new ByteBuffer[2];
    private ByteBuffer sendBuffer;
    /** The unwritten tail of a message a timed send began but could not finish in time; guarded by sendLock. */
    private ByteBuffer pending;
    private boolean endOfStream;
    /**
     * The last read took everything the socket had, so the next read would most likely find nothing:
     * wait for data first, which saves that read (one system call per message waited for). Guarded by
     * receiveLock.
     */
    private boolean drained;
    /** The last frame received was at least {@link #DIRECT_MIN} long: read the next header alone. */
    private boolean largeFrames;
    /** Descriptors received and not yet matched to a returned message: stream offset and descriptors. */
    private final ArrayDeque<Object[]> arrivedDescriptors = new ArrayDeque<>();
    private List<PassedDescriptor> lastDescriptors = List.of();
    private volatile boolean closed;

    /**
     * @param address the address for messages, as the user gave it
     * @param socket a connected socket; switched to non-blocking here
     * @param raw true for {@code framing=raw}
     * @param maxMessageSize the largest message sent or accepted
     * @param properties what the channel guarantees
     */
    public StreamChannel(String address, SocketChannel socket, boolean raw, int maxMessageSize,
            Set<Property> properties) throws IOException {
        this(address, socket, raw, maxMessageSize, properties, false);
    }

    /**
     * @param address the address for messages, as the user gave it
     * @param socket a connected socket; switched to non-blocking here
     * @param raw true for {@code framing=raw}
     * @param maxMessageSize the largest message sent or accepted
     * @param properties what the channel guarantees
     * @param descriptorIo true to read and write the socket's descriptor directly ({@link DescriptorIo}; no
     *     descriptor passing): a junixsocket Unix socket, or a JDK TCP socket
     */
    public StreamChannel(String address, SocketChannel socket, boolean raw, int maxMessageSize,
            Set<Property> properties, boolean descriptorIo) throws IOException {
        this.address = address;
        this.socket = socket;
        AFUNIXSocketChannel af = socket instanceof AFUNIXSocketChannel u ? u : null;
        this.unix = descriptorIo ? null : af;
        this.raw = raw;
        this.maxMessageSize = maxMessageSize;
        this.properties = Set.copyOf(properties);
        socket.configureBlocking(false);
        this.readable = new Readiness(socket, SelectionKey.OP_READ);
        this.writable = new Readiness(socket, SelectionKey.OP_WRITE);
        this.decoder = raw ? null : new FrameDecoder(address, maxMessageSize, true);
        PeerCredentials creds = null;
        if (af != null) {
            var c = af.getPeerCredentials();
            if (c != null && !c.isEmpty()) {
                creds = new PeerCredentials(c.getPid(), (int) c.getUid(), (int) c.getGid());
            }
        }
        if (unix != null) {
            unix.setAncillaryReceiveBufferSize(ANCILLARY_BUFFER);
        }
        this.credentials = creds;
        if (descriptorIo) {
            int fd = af != null ? FileDescriptorCast.using(af.getFileDescriptor()).as(Integer.class)
                    : JdkSocketDescriptor.find(socket.getLocalAddress(), socket.getRemoteAddress());
            this.io = new DescriptorIo(fd);
        } else {
            this.io = null;
        }
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
    public Optional<PeerCredentials> peerCredentials() {
        return Optional.ofNullable(credentials);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** The underlying socket, for tests and benchmarks. */
    public SocketChannel socket() {
        return socket;
    }

    // ---------------------------------------------------------------- send

    @Override
    public void send(ByteBuffer message) throws IOException {
        send(message, Readiness.NO_DEADLINE, null);
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        send(message, deadline(timeout), timeout);
    }

    @Override
    public void send(ByteBuffer message, FileDescriptor... descriptors) throws IOException {
        if (unix == null || !properties.contains(Property.FD_PASSING)) {
            throw new IllegalArgumentException("channel '" + address + "' cannot pass file descriptors; properties="
                    + properties);
        }
        if (descriptors.length == 0) {
            throw new IllegalArgumentException("no descriptor given to send on '" + address + "'");
        }
        for (FileDescriptor fd : descriptors) {
            if (fd == null || !fd.valid()) {
                throw new IllegalArgumentException("descriptor " + fd + " is not valid; cannot send it on '" + address + "'");
            }
        }
        lock(sendLock, Readiness.NO_DEADLINE, null, "send");
        try {
            ensureOpen();
            // a tail left by a timed send goes first, or the descriptors would ride on it
            flushPending(Readiness.NO_DEADLINE, null);
            unix.setOutboundFileDescriptors(descriptors);
            send(message, Readiness.NO_DEADLINE, null);
        } finally {
            if (unix.hasOutboundFileDescriptors()) {
                unix.setOutboundFileDescriptors((FileDescriptor[]) null);
            }
            sendLock.unlock();
        }
    }

    private void send(ByteBuffer message, long deadline, Duration timeout) throws IOException {
        int length = message.remaining();
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        ensureOpen();
        lock(sendLock, deadline, timeout, "send");
        try {
            ensureOpen();
            flushPending(deadline, timeout);
            if (raw) {
                writeFully(new ByteBuffer[] {message.duplicate()}, deadline, timeout);
            } else if (length + FrameDecoder.HEADER_BYTES <= SEND_BUFFER) {
                ByteBuffer b = sendBuffer;
                if (b == null) {
                    b = sendBuffer = ByteBuffer.allocateDirect(SEND_BUFFER);
                }
                b.clear();
                b.putInt(length).put(message.duplicate()).flip();
                gather[0] = b;
                writeFully(gather, 1, deadline, timeout);
            } else if (unix != null) {
                // junixsocket's gathering write loses the second buffer in non-blocking mode: write twice
                header.clear();
                header.putInt(length).flip();
                gather[0] = header;
                writeFully(gather, 1, deadline, timeout, false);
                gather[0] = message.duplicate();
                if (pending != null) {
                    keepRest(new ByteBuffer[] {pending, gather[0]}, 2);
                } else {
                    writeFully(gather, 1, deadline, timeout, true);
                }
            } else {
                header.clear();
                header.putInt(length).flip();
                gather[0] = header;
                gather[1] = message.duplicate();
                writeFully(gather, 2, deadline, timeout);
            }
            message.position(message.limit());
        } finally {
            gather[0] = null;
            gather[1] = null;
            sendLock.unlock();
        }
    }

    private void writeFully(ByteBuffer[] buffers, long deadline, Duration timeout) throws IOException {
        writeFully(buffers, buffers.length, deadline, timeout, false);
    }

    private void writeFully(ByteBuffer[] buffers, int count, long deadline, Duration timeout) throws IOException {
        writeFully(buffers, count, deadline, timeout, false);
    }

    /**
     * Writes the buffers. A timed send that has begun a message and finds the socket full keeps the rest
     * in {@link #pending} and returns: the message counts as sent (the next send or close finishes it),
     * so a timeout never leaves half a frame for the peer. An untimed send waits until all is written.
     */
    private void writeFully(ByteBuffer[] buffers, int count, long deadline, Duration timeout, boolean started)
            throws IOException {
        long total = started ? 1 : 0;
        ByteBuffer last = buffers[count - 1];
        // descriptor I/O, untimed, platform thread: once the socket is full, wait in the kernel's send (as
        // C does) rather than poll and send again; the first try never waits, so it costs no more than that
        boolean mayBlock = io != null && deadline == Readiness.NO_DEADLINE && DescriptorIo.mayBlock();
        boolean block = false;
        while (true) {
            long n;
            try {
                if (block) {
                    n = io.writeBlocking(buffers, 0, count);
                } else {
                    n = count == 1 ? write(buffers[0]) : io != null ? io.write(buffers, 0, count)
                            : socket.write(buffers, 0, count);
                }
            } catch (IOException e) {
                throw translate(e, "send");
            }
            total += n;
            if (!last.hasRemaining()) {
                return;
            }
            if (mayBlock && !block) {
                block = true;
                continue;
            }
            if (n > 0) {
                continue;
            }
            if (total > 0 && (deadline != Readiness.NO_DEADLINE || Thread.currentThread().isInterrupted())) {
                // begun and now full: finish later rather than leave half a frame (an interrupt stays set)
                keepRest(buffers, count);
                return;
            }
            if (!awaitWritable(deadline)) {
                throw new IpcTimeoutException(address, "send", timeout);
            }
            afterWait("send");
        }
    }

    private void keepRest(ByteBuffer[] buffers, int count) {
        int rest = 0;
        for (int i = 0; i < count; i++) {
            rest += buffers[i].remaining();
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(rest);
        for (int i = 0; i < count; i++) {
            copy.put(buffers[i]);
        }
        pending = copy.flip();
    }

    /** Finishes a message an earlier timed send began; times out only if none of it could be written. */
    private void flushPending(long deadline, Duration timeout) throws IOException {
        ByteBuffer p = pending;
        if (p == null) {
            return;
        }
        boolean progressed = false;
        while (p.hasRemaining()) {
            int n;
            try {
                n = write(p);
            } catch (IOException e) {
                throw translate(e, "send");
            }
            if (n > 0) {
                progressed = true;
                continue;
            }
            // once this call wrote part of the tail, finish it: the new message must not wait behind a timeout
            if (!awaitWritable(progressed ? Readiness.NO_DEADLINE : deadline)) {
                throw new IpcTimeoutException(address, "send", timeout);
            }
            afterWait("send");
        }
        pending = null;
    }

    /** On close: give the peer the tail of a half-written message, waiting at most {@link #CLOSE_FLUSH}. */
    private void flushPendingOnClose() {
        if (pending == null || !sendLock.tryLock()) {
            return;
        }
        try {
            flushPending(Readiness.deadline(CLOSE_FLUSH.toNanos()), CLOSE_FLUSH);
        } catch (IOException e) {
            // the peer is gone or slow: it sees a cut frame, which it reports
        } finally {
            sendLock.unlock();
        }
    }

    // ---------------------------------------------------------------- receive

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        return receive(dst, Readiness.NO_DEADLINE, null);
    }

    @Override
    public int receive(ByteBuffer dst, Duration timeout) throws IOException {
        return receive(dst, deadline(timeout), timeout);
    }

    private int receive(ByteBuffer dst, long deadline, Duration timeout) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("receive buffer on '" + address + "' is read-only");
        }
        ensureOpen();
        lock(receiveLock, deadline, timeout, "receive");
        try {
            ensureOpen();
            closeUnclaimed();
            return raw ? receiveRaw(dst, deadline, timeout) : receiveFramed(dst, deadline, timeout);
        } finally {
            receiveLock.unlock();
        }
    }

    private int receiveFramed(ByteBuffer dst, long deadline, Duration timeout) throws IOException {
        while (true) {
            long frameOffset = decoder.nextFrameOffset();
            int n;
            try {
                if (unix == null) {
                    // large frames go straight into the caller's buffer (no descriptors to place on this socket)
                    int start = dst.position();
                    int length = decoder.beginDirect(dst, DIRECT_MIN);
                    if (length >= 0) {
                        return receiveDirect(dst, start, length, deadline, timeout);
                    }
                }
                n = decoder.next(dst);
            } catch (IpcProtocolException e) {
                closeQuietly();
                throw e;
            }
            if (n >= 0) {
                claimDescriptors(frameOffset, frameOffset + FrameDecoder.HEADER_BYTES + n);
                largeFrames = n >= DIRECT_MIN;
                return n;
            }
            if (endOfStream) {
                if (decoder.hasPartialFrame()) {
                    String partial = decoder.describePartial();
                    closeQuietly();
                    throw new IpcProtocolException(address, "the peer of '" + address + "' closed in the middle of a"
                            + " message: got " + partial + "; the channel was closed");
                }
                return -1;
            }
            long chunkStart = decoder.streamOffset();
            int r;
            try {
                if (drained && blocksForData(deadline)) {
                    // the one system call a C program makes: a blocking read (an interrupt or close wakes it)
                    r = decoder.readFrom(io.blockingReader());
                    drained = r > 0 && !decoder.filled();
                    if (r > 0) {
                        collectDescriptors(chunkStart, decoder.streamOffset());
                        continue;
                    }
                } else if (drained) {
                    awaitData(deadline);
                }
                // large frames: the header alone, so the payload goes straight into dst instead of through a copy
                boolean headerOnly = unix == null && largeFrames && decoder.buffered() == 0
                        && dst.remaining() >= DIRECT_MIN;
                ReadableByteChannel in = io != null ? io : socket;
                r = headerOnly ? decoder.readFrom(in, FrameDecoder.HEADER_BYTES) : decoder.readFrom(in);
                drained = r > 0 && !headerOnly && !decoder.filled();
            } catch (IpcProtocolException e) {
                closeQuietly();
                throw e;
            } catch (IOException e) {
                if (isReset(e) && !closed) {
                    endOfStream = true;
                    continue;
                }
                throw translate(e, "receive");
            }
            if (r > 0) {
                collectDescriptors(chunkStart, decoder.streamOffset());
            } else if (r < 0) {
                if (closed) {
                    throw new AsyncClosedException(address);  // junixsocket reads -1 once closed under us
                }
                endOfStream = true;
            } else {
                waitReadable(deadline, timeout);
            }
        }
    }

    /** Reads the rest of a frame begun by {@link FrameDecoder#beginDirect} straight into {@code dst}. */
    private int receiveDirect(ByteBuffer dst, int start, int length, long deadline, Duration timeout)
            throws IOException {
        ByteBuffer view = dst.duplicate();
        view.limit(start + length);
        largeFrames = true;
        boolean waitFirst = false;
        while (view.hasRemaining()) {
            int r;
            try {
                if (waitFirst) {
                    awaitData(deadline);
                }
                r = read(view);
                waitFirst = r > 0 && view.hasRemaining();
            } catch (IOException e) {
                if (isReset(e) && !closed) {
                    r = -1;
                } else {
                    throw translate(e, "receive");
                }
            }
            if (r > 0) {
                continue;
            }
            if (r < 0) {
                if (closed) {
                    throw new AsyncClosedException(address);
                }
                int got = view.position() - start;
                closeQuietly();
                throw new IpcProtocolException(address, "the peer of '" + address + "' closed in the middle of a"
                        + " message: got " + got + " of " + length + " payload bytes; the channel was closed");
            }
            try {
                waitReadable(deadline, timeout);
            } catch (IOException e) {
                // nothing consumed: the frame goes back to the decoder, the caller's position back to start
                decoder.restore(length, view, start, view.position() - start);
                dst.position(start);
                throw e;
            }
        }
        dst.position(start + length);
        return length;
    }

    private int receiveRaw(ByteBuffer dst, long deadline, Duration timeout) throws IOException {
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException("receive buffer on '" + address + "' has no room: remaining=0");
        }
        while (true) {
            if (endOfStream) {
                return -1;
            }
            int r;
            try {
                if (drained && blocksForData(deadline)) {
                    r = io.blockingReader().read(dst);
                } else {
                    if (drained) {
                        awaitData(deadline);
                    }
                    r = read(dst);
                }
                drained = r > 0 && dst.hasRemaining();
            } catch (IOException e) {
                if (isReset(e) && !closed) {
                    endOfStream = true;
                    continue;
                }
                throw translate(e, "receive");
            }
            if (r > 0) {
                collectDescriptors(0, 0);
                claimDescriptors(0, 0);
                return r;
            }
            if (r < 0) {
                if (closed) {
                    throw new AsyncClosedException(address);
                }
                endOfStream = true;
                continue;
            }
            waitReadable(deadline, timeout);
        }
    }

    /**
     * Waits for data before a read expected to find none. It never throws a timeout or an interrupt: the
     * read that follows still takes what is there, and the usual wait after an empty read decides.
     */
    private void awaitData(long deadline) throws IOException {
        drained = false;
        if (unix == null) {
            // not with junixsocket's own reads: waiting first made bulk transfers hang there (cause not found)
            awaitReadable(deadline);
        }
    }

    /** True if this receive may wait for data in a blocking read: descriptor I/O, no deadline, not a virtual thread. */
    private boolean blocksForData(long deadline) {
        return io != null && deadline == Readiness.NO_DEADLINE && DescriptorIo.mayBlock();
    }

    private boolean awaitReadable(long deadline) throws IOException {
        return io != null ? io.await(true, deadline) : readable.await(deadline);
    }

    private boolean awaitWritable(long deadline) throws IOException {
        return io != null ? io.await(false, deadline) : writable.await(deadline);
    }

    private int read(ByteBuffer dst) throws IOException {
        return io != null ? io.read(dst) : socket.read(dst);
    }

    private int write(ByteBuffer src) throws IOException {
        return io != null ? io.write(src) : socket.write(src);
    }

    private void waitReadable(long deadline, Duration timeout) throws IOException {
        if (!awaitReadable(deadline)) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        afterWait("receive");
    }

    /**
     * Notes descriptors that came with the bytes [chunkStart, chunkEnd) of the stream. The kernel ends
     * a read after the segment that carries descriptors, and the sender attached them to the write
     * that starts their message: so they belong to the last message that starts within the chunk.
     */
    private void collectDescriptors(long chunkStart, long chunkEnd) throws IOException {
        if (unix == null) {
            return;
        }
        FileDescriptor[] fds = unix.getReceivedFileDescriptors();
        if (fds != null && fds.length > 0) {
            arrivedDescriptors.add(new Object[] {chunkStart, chunkEnd, fds});
        }
    }

    /** Hands the descriptors of the message at [frameStart, frameEnd) to {@link #receivedDescriptors()}. */
    private void claimDescriptors(long frameStart, long frameEnd) {
        if (arrivedDescriptors.isEmpty()) {
            return;
        }
        List<PassedDescriptor> claimed = new ArrayList<>();
        while (!arrivedDescriptors.isEmpty()) {
            Object[] next = arrivedDescriptors.peek();
            long chunkStart = (long) next[0];
            long chunkEnd = (long) next[1];
            boolean ours = frameStart >= chunkEnd || frameStart >= chunkStart && frameEnd >= chunkEnd;
            if (!ours) {
                break;
            }
            for (FileDescriptor fd : (FileDescriptor[]) arrivedDescriptors.poll()[2]) {
                claimed.add(new PassedDescriptor(fd));
            }
        }
        lastDescriptors = claimed;
    }

    private void closeUnclaimed() {
        List<PassedDescriptor> left = lastDescriptors;
        if (!left.isEmpty()) {
            lastDescriptors = List.of();
            for (PassedDescriptor d : left) {
                try {
                    d.close();
                } catch (IOException e) {
                    // already closed by its taker
                }
            }
        }
    }

    @Override
    public List<PassedDescriptor> receivedDescriptors() {
        receiveLock.lock();
        try {
            List<PassedDescriptor> taken = lastDescriptors;
            lastDescriptors = List.of();
            return taken;
        } finally {
            receiveLock.unlock();
        }
    }

    // ---------------------------------------------------------------- common

    private static long deadline(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            return Readiness.NO_DEADLINE;
        }
        return Readiness.deadline(nanos);
    }

    private void lock(ReentrantLock lock, long deadline, Duration timeout, String operation) throws IOException {
        try {
            if (deadline == Readiness.NO_DEADLINE) {
                lock.lockInterruptibly();
            } else if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IpcTimeoutException(address, operation, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(operation + " on '" + address + "' interrupted while waiting for another "
                    + operation);
        }
    }

    private void afterWait(String operation) throws IOException {
        if (closed) {
            throw new AsyncClosedException(address);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(operation + " on '" + address + "' interrupted; the channel stays open");
        }
    }

    private void ensureOpen() throws ChannelClosedException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
    }

    private static boolean isReset(IOException e) {
        String m = e.getMessage();
        return e instanceof SocketException && m != null && m.toLowerCase().contains("reset");
    }

    private IOException translate(IOException e, String operation) {
        if (closed) {
            return new AsyncClosedException(address);
        }
        if (e instanceof ClosedChannelException) {
            // not closed here: junixsocket reports a peer that closed (broken pipe) as a closed channel
            return new PeerClosedException(address, operation + " on '" + address + "' failed: the peer closed its end ("
                    + e + ")", e);
        }
        String m = String.valueOf(e.getMessage()).toLowerCase();
        if (m.contains("broken pipe") || m.contains("reset") || m.contains("not connected")
                || e.getClass().getSimpleName().startsWith("BrokenPipe")) {
            return new PeerClosedException(address, operation + " on '" + address + "' failed: the peer closed its end ("
                    + e.getMessage() + ")", e);
        }
        return e;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            // closing after a protocol error: the error already explains
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        flushPendingOnClose();
        closed = true;
        readable.shutdown();
        writable.shutdown();
        if (io != null) {
            io.shutdown();
            // no thread may be inside a call on the descriptor when it closes: its number could be reused at once
            receiveLock.lock();
            sendLock.lock();
            try {
                socket.close();
            } finally {
                sendLock.unlock();
                receiveLock.unlock();
            }
            return;
        }
        try {
            socket.close();
        } finally {
            // blocked threads were woken and leave their waits; the selectors can go
            releaseUnder(receiveLock, readable);
            releaseUnder(sendLock, writable);
        }
    }

    private void releaseUnder(ReentrantLock lock, Readiness readiness) {
        if (lock.isHeldByCurrentThread()) {
            readiness.close();
            return;
        }
        lock.lock();
        try {
            readiness.close();
            if (lock == receiveLock) {
                closeUnclaimed();
                for (Object[] pending : arrivedDescriptors) {
                    for (FileDescriptor fd : (FileDescriptor[]) pending[2]) {
                        try {
                            new PassedDescriptor(fd).close();
                        } catch (IOException e) {
                            // nothing more to release
                        }
                    }
                }
                arrivedDescriptors.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "StreamChannel[" + address + (raw ? ", raw" : "") + (closed ? ", closed" : "") + "]";
    }
}
