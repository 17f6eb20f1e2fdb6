package org.ipc4j.testkit.channel;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.PeerClosedException;

/**
 * A small but correct cross-process channel for the kit's own tests: a Unix stream socket (JDK NIO),
 * each message framed by a 4-byte length; a reader thread moves arriving messages into an inbox, so
 * that receive can wait with a timeout, leave a too-large message in place, and be woken by close.
 * It lets the kit run {@link org.ipc4j.testkit.contract.ChannelContract}'s peer JVM cases.
 */
final class ChannelSocket implements Channel {
    static final int MAX_MESSAGE_SIZE = 1 << 20;

    private final SocketChannel socket;
    private final String address;
    private final Object sendLock = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private boolean endOfStream;
    private IOException readFailure;
    private volatile boolean closed;
    private final boolean deaf;

    /**
     * @param deaf for the kit's broken-backend tests: true to never report end of stream (a backend
     *     that does not notice its peer's death)
     */
    ChannelSocket(SocketChannel socket, String address, boolean deaf) {
        this.socket = socket;
        this.address = address;
        this.deaf = deaf;
        Thread reader = new Thread(this::readLoop, "kit-unix-reader " + address);
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        ByteBuffer header = ByteBuffer.allocate(4);
        try {
            while (true) {
                header.clear();
                if (!readFully(header)) {
                    if (deaf) {
                        return;
                    }
                    break;
                }
                int length = header.flip().getInt();
                if (length < 0 || length > MAX_MESSAGE_SIZE) {
                    throw new IpcException(address, "bad frame length " + length + " on '" + address + "'");
                }
                ByteBuffer body = ByteBuffer.allocate(length);
                if (!readFully(body) && length > 0) {
                    break;
                }
                lock.lock();
                try {
                    inbox.add(body.array());
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            lock.lock();
            try {
                endOfStream = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } catch (IOException e) {
            lock.lock();
            try {
                readFailure = e;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (socket.read(b) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Set<Property> properties() {
        return EnumSet.of(Property.RELIABLE, Property.ORDERED, Property.BIDIRECTIONAL);
    }

    @Override
    public int maxMessageSize() {
        return MAX_MESSAGE_SIZE;
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        send(message, null);
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        checkOpen();
        int length = message.remaining();
        if (length > MAX_MESSAGE_SIZE) {
            throw new MessageTooLargeException(address, "message", length, MAX_MESSAGE_SIZE, false);
        }
        ByteBuffer header = ByteBuffer.allocate(4).putInt(length).flip();
        synchronized (sendLock) {
            try {
                while (header.hasRemaining() || message.hasRemaining()) {
                    socket.write(new ByteBuffer[] {header, message});
                }
            } catch (AsynchronousCloseException e) {
                throw new AsyncClosedException(address);
            } catch (IOException e) {
                if (closed) {
                    throw new ChannelClosedException(address);
                }
                throw new PeerClosedException(address, "send on '" + address + "' failed: the peer is gone (" + e + ")", e);
            }
        }
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        return receive(dst, null);
    }

    @Override
    public int receive(ByteBuffer dst, Duration timeout) throws IOException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        checkOpen();
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        try {
            lock.lockInterruptibly();
            try {
                while (true) {
                    if (closed) {
                        throw new AsyncClosedException(address);
                    }
                    byte[] m = inbox.peek();
                    if (m != null) {
                        if (m.length > dst.remaining()) {
                            throw new MessageTooLargeException(address, "buffer", m.length, dst.remaining(), false);
                        }
                        inbox.poll();
                        dst.put(m);
                        return m.length;
                    }
                    if (endOfStream) {
                        return -1;
                    }
                    if (readFailure != null) {
                        throw new IpcException(address, "receive on '" + address + "' failed: " + readFailure, readFailure);
                    }
                    if (timeout == null) {
                        changed.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new IpcTimeoutException(address, "receive", timeout);
                        }
                        changed.awaitNanos(left);
                    }
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("receive on '" + address + "' interrupted");
        }
    }

    private void checkOpen() throws ChannelClosedException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        if (lock.tryLock() || tryLockSoon()) {
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean tryLockSoon() {
        try {
            return lock.tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
