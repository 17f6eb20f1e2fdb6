package org.ipc4j.socket.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.PeerClosedException;

/**
 * A channel over a bound datagram socket (UDP, or Unix datagram through junixsocket). One send is
 * one datagram. Either the socket's own non-blocking calls with selector waits, or, with a
 * {@link DescriptorIo} ({@code impl=native}, the socket then connected), its descriptor read and
 * written directly: an untimed receive that waits is one blocking {@code recv}, woken by an interrupt
 * (the JDK's wake signal) or by close ({@code shutdown}). On UDP the untimed calls go through the
 * JDK channel's own {@code read} and {@code write} on that (now blocking) descriptor, inside the same
 * interrupt hook: one JNI call each, cheaper than JNA. Unix datagram sends never block in the kernel
 * (a full peer is waited for with {@code poll}, which close wakes). A datagram longer than the receive
 * buffer is read whole into an internal buffer and refused with {@link MessageTooLargeException#discarded()}
 * false: it stays in that buffer and the next receive delivers it. A datagram over the maximum is
 * refused with {@code discarded()} true.
 */
public final class DatagramEndpoint implements Channel {
    private final String address;
    private final DatagramChannel socket;
    private final int maxMessageSize;
    private final Set<Property> properties;
    private final UnixPaths.Placed placed;
    private final java.net.SocketAddress remote;
    private final boolean filterSource;
    /** UDP: a refused datagram (ICMP port unreachable) is no error, and empty datagrams are sent. */
    private final boolean udp;
    /** Direct descriptor I/O, or null for the socket's own calls. */
    private final DescriptorIo io;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private final Readiness readable;
    private final Readiness writable;
    private final ByteBuffer incoming;
    /** A datagram in {@link #incoming} refused for a too small buffer, delivered by the next receive. */
    private boolean pending;
    private volatile boolean closed;

    /**
     * @param address the address, for messages
     * @param socket a bound datagram socket, connected or not; switched to non-blocking here
     * @param remote the peer: datagrams go there, and only datagrams from there are delivered
     * @param maxMessageSize the largest datagram sent or accepted
     * @param properties what the channel guarantees
     * @param placed the bound socket file to remove on close, or null
     * @param udp true for UDP, false for Unix datagrams
     * @param descriptor the socket's descriptor for direct I/O (the socket must then be connected), or -1
     */
    public DatagramEndpoint(String address, DatagramChannel socket, java.net.SocketAddress remote, int maxMessageSize,
            Set<Property> properties, UnixPaths.Placed placed, boolean udp, int descriptor) throws IOException {
        this.address = address;
        this.socket = socket;
        this.maxMessageSize = maxMessageSize;
        this.properties = Set.copyOf(properties);
        this.placed = placed;
        socket.configureBlocking(false);
        this.remote = remote;
        // a connected socket hears only its peer already (and a Unix peer's source name is its private bind path)
        this.filterSource = !socket.isConnected();
        this.udp = udp;
        this.io = descriptor < 0 ? null : new DescriptorIo(descriptor);
        this.readable = new Readiness(socket, SelectionKey.OP_READ);
        this.writable = new Readiness(socket, SelectionKey.OP_WRITE);
        // one byte more than allowed, so an oversized datagram from the peer is seen, not truncated silently
        this.incoming = ByteBuffer.allocateDirect(maxMessageSize + 1);
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
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        send(message, Readiness.NO_DEADLINE, null);
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        send(message, deadline(timeout), timeout);
    }

    private void send(ByteBuffer message, long deadline, Duration timeout) throws IOException {
        int length = message.remaining();
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        if (length == 0 && !udp) {
            throw new IllegalArgumentException("'" + address + "' cannot send an empty datagram: junixsocket sends"
                    + " nothing for a zero-length Unix datagram, so it would be lost; send at least one byte");
        }
        ensureOpen();
        lock(sendLock, deadline, timeout, "send");
        try {
            if (io != null) {
                sendDirect(message, deadline, timeout);
                return;
            }
            ByteBuffer view = message.duplicate();
            while (true) {
                ensureOpen();
                int n;
                try {
                    // send, not write, on an unconnected UDP socket: the JDK sends no empty datagram otherwise
                    n = socket.send(view, remote);
                } catch (PortUnreachableException e) {
                    // an earlier datagram bounced (ICMP); UDP promises nothing, so try again
                    continue;
                } catch (IOException e) {
                    throw translate(e, "send");
                }
                if (n > 0 || length == 0) {
                    message.position(message.limit());
                    return;
                }
                if (!writable.await(deadline)) {
                    throw new IpcTimeoutException(address, "send", timeout);
                }
                afterWait("send");
            }
        } finally {
            sendLock.unlock();
        }
    }

    private void sendDirect(ByteBuffer message, long deadline, Duration timeout) throws IOException {
        while (true) {
            ensureOpen();
            boolean sent;
            try {
                if (udp && message.hasRemaining() && deadline == Readiness.NO_DEADLINE && DescriptorIo.mayBlock()) {
                    // one JNI call, waiting in the kernel if the socket is full (the JDK sends no empty datagram)
                    sent = io.writeThrough(socket, message) > 0;
                } else {
                    sent = io.sendDatagram(message);
                }
            } catch (PortUnreachableException e) {
                if (udp) {
                    continue;  // an earlier datagram bounced (ICMP); UDP promises nothing, so try again
                }
                throw translate(e, "send");
            } catch (IOException e) {
                if (closed) {
                    throw new AsyncClosedException(address);  // close shut the socket down under the call
                }
                throw translate(e, "send");
            }
            if (sent) {
                message.position(message.limit());
                return;
            }
            if (closed) {
                throw new AsyncClosedException(address);
            }
            if (!io.await(false, deadline)) {
                throw new IpcTimeoutException(address, "send", timeout);
            }
            afterWait("send");
        }
    }

    /**
     * Receives one datagram through the descriptor at {@code into}'s position, which must have room
     * for {@code maxMessageSize} bytes, leaving position and limit as they were.
     *
     * @return the datagram's length (over {@code maxMessageSize} for an oversized one, then cut), or -1
     *     if the caller should check its deadline and call again
     */
    private int receiveDirect(ByteBuffer into, long deadline, Duration timeout) throws IOException {
        boolean block = deadline == Readiness.NO_DEADLINE && DescriptorIo.mayBlock();
        int start = into.position();
        int limit = into.limit();
        into.limit(start + Math.min(into.remaining(), maxMessageSize + 1));
        int n;
        try {
            // UDP: the JDK's own read, one JNI call, measured cheaper per message than the JNA recv; it
            // cannot tell a cut datagram's length, so it needs one byte more than the maximum to see one
            n = udp && block && into.remaining() > maxMessageSize ? io.readThrough(socket, into)
                    : io.receiveDatagram(into, block);
        } catch (PortUnreachableException e) {
            if (udp) {
                return -1;  // our earlier datagram bounced (ICMP): not this receive's business
            }
            throw translate(e, "receive");
        } catch (IOException e) {
            if (closed) {
                throw new AsyncClosedException(address);
            }
            throw translate(e, "receive");
        } finally {
            into.limit(limit).position(start);
        }
        if (closed) {
            throw new AsyncClosedException(address);
        }
        if (n >= 0) {
            return n;
        }
        if (!block && !io.await(true, deadline)) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        afterWait("receive");
        return -1;
    }

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
            while (true) {
                ensureOpen();
                boolean have = pending;
                if (!have && io != null && dst.isDirect() && dst.remaining() >= maxMessageSize) {
                    // room for any datagram allowed: straight into the caller's buffer, no copy
                    int n = receiveDirect(dst, deadline, timeout);
                    if (n < 0) {
                        continue;
                    }
                    if (n > maxMessageSize) {
                        throw new MessageTooLargeException(address, "buffer", n, maxMessageSize, true);
                    }
                    dst.position(dst.position() + n);
                    return n;
                } else if (!have && io != null) {
                    incoming.clear();
                    int n = receiveDirect(incoming, deadline, timeout);
                    if (n < 0) {
                        continue;
                    }
                    if (n > maxMessageSize) {
                        throw new MessageTooLargeException(address, "buffer", n, maxMessageSize, true);
                    }
                    incoming.position(n);
                    have = true;
                } else if (!have) {
                    incoming.clear();
                    Object from;
                    try {
                        from = socket.receive(incoming);
                    } catch (PortUnreachableException e) {
                        continue;
                    } catch (IOException e) {
                        throw translate(e, "receive");
                    }
                    if (from != null && filterSource && !from.equals(remote)) {
                        continue;  // not our peer: an unconnected UDP socket hears anyone
                    }
                    have = from != null;
                }
                if (have) {
                    int length = incoming.position();
                    if (length > maxMessageSize) {
                        throw new MessageTooLargeException(address, "buffer", length, maxMessageSize, true);
                    }
                    if (length > dst.remaining()) {
                        pending = true;
                        throw new MessageTooLargeException(address, "buffer", length, dst.remaining(), false);
                    }
                    pending = false;
                    dst.put(dst.position(), incoming, 0, length);
                    dst.position(dst.position() + length);
                    return length;
                }
                if (!readable.await(deadline)) {
                    throw new IpcTimeoutException(address, "receive", timeout);
                }
                afterWait("receive");
            }
        } finally {
            receiveLock.unlock();
        }
    }

    private static long deadline(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        try {
            return Readiness.deadline(timeout.toNanos());
        } catch (ArithmeticException e) {
            return Readiness.NO_DEADLINE;
        }
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
            throw new InterruptedIOException(operation + " on '" + address + "' interrupted");
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

    private IOException translate(IOException e, String operation) {
        if (e instanceof AsynchronousCloseException) {
            return new AsyncClosedException(address);
        }
        if (e instanceof ClosedChannelException) {
            return new ChannelClosedException(address);
        }
        String m = String.valueOf(e.getMessage()).toLowerCase();
        if (m.contains("refused") || m.contains("reset") || m.contains("no such file")) {
            return new PeerClosedException(address, operation + " on '" + address + "' failed: the peer is gone ("
                    + e.getMessage() + ")", e);
        }
        if (m.contains("message too long")) {
            return new MessageTooLargeException(address, "message", -1, maxMessageSize, false);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
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
                readable.close();
                writable.close();
            } finally {
                sendLock.unlock();
                receiveLock.unlock();
                if (placed != null) {
                    placed.remove();
                }
            }
            return;
        }
        try {
            socket.close();
        } finally {
            if (placed != null) {
                placed.remove();
            }
            for (var pair : new Object[][] {{receiveLock, readable}, {sendLock, writable}}) {
                ReentrantLock lock = (ReentrantLock) pair[0];
                lock.lock();
                try {
                    ((Readiness) pair[1]).close();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "DatagramEndpoint[" + address + (closed ? ", closed" : "") + "]";
    }
}
