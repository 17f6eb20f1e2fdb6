package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.PeerClosedException;

/**
 * One end of an inproc channel. Both ends share one lock; each direction is a bounded {@link Pipe}.
 * Messages are copied on send, so the sender may reuse its buffer at once.
 */
public final class InprocChannel implements Channel {
    private static final Set<Property> PROPERTIES =
            Collections.unmodifiableSet(EnumSet.of(Property.RELIABLE, Property.ORDERED, Property.BIDIRECTIONAL));

    private final String address;
    private final ReentrantLock lock;
    private final Pipe in;
    private final Pipe out;
    private final int maxMessageSize;
    private volatile boolean closed;

    private InprocChannel(String address, ReentrantLock lock, Pipe in, Pipe out, int maxMessageSize) {
        this.address = address;
        this.lock = lock;
        this.in = in;
        this.out = out;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * A connected pair: element 0 is the listener's end, element 1 the connector's.
     *
     * @param listenerCapacity messages buffered towards the listener's end
     * @param connectorCapacity messages buffered towards the connector's end
     */
    static InprocChannel[] pair(String listenerAddress, String connectorAddress, int maxMessageSize,
                                int listenerCapacity, int connectorCapacity) {
        ReentrantLock lock = new ReentrantLock();
        Pipe toListener = new Pipe(lock, listenerCapacity);
        Pipe toConnector = new Pipe(lock, connectorCapacity);
        return new InprocChannel[] {
            new InprocChannel(listenerAddress, lock, toListener, toConnector, maxMessageSize),
            new InprocChannel(connectorAddress, lock, toConnector, toListener, maxMessageSize)
        };
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
        send(message, Waits.FOREVER, null);
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        send(message, Waits.nanos(timeout), timeout);
    }

    private void send(ByteBuffer message, long nanos, Duration timeout) throws IOException {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new ChannelClosedException(address);
        }
        int length = message.remaining();
        if (length > maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, maxMessageSize, false);
        }
        byte[] copy = new byte[length];
        message.get(message.position(), copy);
        lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                if (closed) {
                    throw new ChannelClosedException(address);
                }
                if (out.readerClosed) {
                    throw new PeerClosedException(address, "the peer closed its end of '" + address
                            + "'; nothing was sent");
                }
                if (!out.full()) {
                    break;
                }
                if (Waits.expired(remaining)) {
                    throw new IpcTimeoutException(address, "send", timeout);
                }
                remaining = Waits.await(out.notFull, remaining, address, "send");
                if (closed) {
                    throw new AsyncClosedException(address);
                }
            }
            out.messages.addLast(copy);
            out.notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        message.position(message.limit());
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        return receive(dst, Waits.FOREVER, null);
    }

    @Override
    public int receive(ByteBuffer dst, Duration timeout) throws IOException {
        return receive(dst, Waits.nanos(timeout), timeout);
    }

    private int receive(ByteBuffer dst, long nanos, Duration timeout) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                if (closed) {
                    throw new ChannelClosedException(address);
                }
                byte[] head = in.messages.peekFirst();
                if (head != null) {
                    if (head.length > dst.remaining()) {
                        throw new MessageTooLargeException(address, "buffer", head.length, dst.remaining(), false);
                    }
                    in.messages.pollFirst();
                    dst.put(head);
                    in.notFull.signalAll();
                    return head.length;
                }
                if (in.writerClosed) {
                    return -1;
                }
                if (Waits.expired(remaining)) {
                    throw new IpcTimeoutException(address, "receive", timeout);
                }
                remaining = Waits.await(in.notEmpty, remaining, address, "receive");
                if (closed) {
                    throw new AsyncClosedException(address);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            out.writerClosed = true;
            in.readerClosed = true;
            in.messages.clear();
            in.notEmpty.signalAll();
            in.notFull.signalAll();
            out.notEmpty.signalAll();
            out.notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InprocChannel[" + address + (closed ? ", closed]" : "]");
    }
}
