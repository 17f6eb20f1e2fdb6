package org.ipc4j.testkit.broken.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;

/** An {@code inproc:} queue with one {@link QueueFault}. */
final class BrokenQueue implements MessageQueue {
    private final MessageQueue delegate;
    private final QueueFault fault;
    private final String address;
    private final AtomicLong sends = new AtomicLong();

    BrokenQueue(MessageQueue delegate, QueueFault fault, String address) {
        this.delegate = delegate;
        this.fault = fault;
        this.address = address;
    }

    /** The priority actually used, and whether to drop this message (after the usual checks). */
    private int priority(int asked) {
        if (asked < 0 || asked > delegate.maxPriority()) {
            return asked; // let the delegate refuse it
        }
        return fault == QueueFault.IGNORES_PRIORITY ? 0 : asked;
    }

    private boolean drop(ByteBuffer message) throws IOException {
        if (!delegate.isOpen() || message.remaining() > delegate.maxMessageSize()) {
            return false; // let the delegate refuse it
        }
        if (fault == QueueFault.DROPS_A_MESSAGE && sends.incrementAndGet() % QueueFault.DROP_EVERY == 0) {
            message.position(message.limit());
            return true;
        }
        return false;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int capacity() {
        return delegate.capacity();
    }

    @Override
    public int maxMessageSize() {
        return delegate.maxMessageSize();
    }

    @Override
    public int maxPriority() {
        return delegate.maxPriority();
    }

    @Override
    public int size() throws IOException {
        return delegate.size();
    }

    @Override
    public void send(ByteBuffer message, int priority) throws IOException {
        if (!drop(message)) {
            delegate.send(message, priority(priority));
        }
    }

    @Override
    public void send(ByteBuffer message, int priority, Duration timeout) throws IOException {
        if (!drop(message)) {
            delegate.send(message, priority(priority), timeout);
        }
    }

    @Override
    public boolean trySend(ByteBuffer message, int priority) throws IOException {
        return drop(message) || delegate.trySend(message, priority(priority));
    }

    @Override
    public Received receive(ByteBuffer dst) throws IOException {
        return delegate.receive(dst);
    }

    @Override
    public Received receive(ByteBuffer dst, Duration timeout) throws IOException {
        return delegate.receive(dst, timeout);
    }

    @Override
    public Optional<Received> tryReceive(ByteBuffer dst) throws IOException {
        return delegate.tryReceive(dst);
    }

    @Override
    public void unlink() throws IOException {
        delegate.unlink();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
