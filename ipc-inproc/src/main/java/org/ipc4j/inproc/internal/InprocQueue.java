package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.Received;

/** One handle on an inproc message queue; several handles may share a {@link QueueState}. */
public final class InprocQueue implements MessageQueue {
    /** Query keys of queue addresses, besides the common ones. */
    public static final String[] KEYS = {"capacity", "maxMessageSize", "maxPriority"};
    /** Default number of messages held: 10, as a POSIX queue here. */
    public static final int DEFAULT_CAPACITY = 10;
    /** Default largest message: 8 KiB, as a POSIX queue here. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8192;
    /** Default highest priority: 31, as POSIX guarantees at least 32 priorities. */
    public static final int DEFAULT_MAX_PRIORITY = 31;
    /** Highest priority that may be asked for: 32767, as Linux mq. */
    public static final int PRIORITY_LIMIT = 32767;

    private final String address;
    private final QueueState state;
    private volatile boolean closed;

    private InprocQueue(String address, QueueState state) {
        this.address = address;
        this.state = state;
    }

    /** Opens or creates the queue the address names. */
    public static InprocQueue open(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        int capacity = (int) address.integer("capacity", DEFAULT_CAPACITY, 1, Integer.MAX_VALUE);
        long max = address.size("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
        if (max < 1 || max > Limits.MAX_ARRAY) {
            throw address.invalid("maxMessageSize", "maxMessageSize=" + max + " is out of range; accepted: 1 to "
                    + Limits.MAX_ARRAY + " bytes, such as 8KiB");
        }
        int maxPriority = (int) address.integer("maxPriority", DEFAULT_MAX_PRIORITY, 0, PRIORITY_LIMIT);
        QueueState state = Registry.QUEUES.open(address,
                () -> new QueueState(address.name(), capacity, (int) max, maxPriority));
        return new InprocQueue(address.text(), state);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int capacity() {
        return state.capacity;
    }

    @Override
    public int maxMessageSize() {
        return state.maxMessageSize;
    }

    @Override
    public int maxPriority() {
        return state.maxPriority;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public int size() throws IOException {
        ensureOpen();
        state.lock.lock();
        try {
            return state.count();
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void send(ByteBuffer message, int priority) throws IOException {
        send(message, priority, Waits.FOREVER);
    }

    @Override
    public void send(ByteBuffer message, int priority, Duration timeout) throws IOException {
        if (!send(message, priority, Waits.nanos(timeout))) {
            throw new IpcTimeoutException(address, "send", timeout);
        }
    }

    @Override
    public boolean trySend(ByteBuffer message, int priority) throws IOException {
        return send(message, priority, 0L);
    }

    /** Sends, waiting at most {@code nanos}; false if the queue stayed full (nothing sent). */
    private boolean send(ByteBuffer message, int priority, long nanos) throws IOException {
        Objects.requireNonNull(message, "message");
        if (priority < 0 || priority > state.maxPriority) {
            throw new IllegalArgumentException("priority out of range for '" + address + "': priority="
                    + priority + "; accepted: 0 to " + state.maxPriority);
        }
        ensureOpen();
        int length = message.remaining();
        if (length > state.maxMessageSize) {
            throw new MessageTooLargeException(address, "message", length, state.maxMessageSize, false);
        }
        byte[] copy = new byte[length];
        message.get(message.position(), copy);
        state.lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                ensureOpen();
                if (!state.full()) {
                    break;
                }
                if (Waits.expired(remaining)) {
                    return false;
                }
                remaining = Waits.await(state.notFull, remaining, address, "send");
                if (closed) {
                    throw new AsyncClosedException(address);
                }
            }
            state.add(copy, priority);
            state.notEmpty.signalAll();
        } finally {
            state.lock.unlock();
        }
        message.position(message.limit());
        return true;
    }

    @Override
    public Received receive(ByteBuffer dst) throws IOException {
        return receive(dst, Waits.FOREVER);
    }

    @Override
    public Received receive(ByteBuffer dst, Duration timeout) throws IOException {
        Received received = receive(dst, Waits.nanos(timeout));
        if (received == null) {
            throw new IpcTimeoutException(address, "receive", timeout);
        }
        return received;
    }

    @Override
    public Optional<Received> tryReceive(ByteBuffer dst) throws IOException {
        return Optional.ofNullable(receive(dst, 0L));
    }

    /** Receives, waiting at most {@code nanos}; null if the queue stayed empty (nothing consumed). */
    private Received receive(ByteBuffer dst, long nanos) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        state.lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                ensureOpen();
                Map.Entry<Integer, ArrayDeque<byte[]>> head = state.head();
                if (head != null) {
                    byte[] message = head.getValue().peekFirst();
                    if (message.length > dst.remaining()) {
                        throw new MessageTooLargeException(address, "buffer", message.length, dst.remaining(), false);
                    }
                    state.removeHead(head);
                    dst.put(message);
                    state.notFull.signalAll();
                    return new Received(message.length, head.getKey());
                }
                if (Waits.expired(remaining)) {
                    return null;
                }
                remaining = Waits.await(state.notEmpty, remaining, address, "receive");
                if (closed) {
                    throw new AsyncClosedException(address);
                }
            }
        } finally {
            state.lock.unlock();
        }
    }

    @Override
    public void unlink() throws IOException {
        Registry.QUEUES.unlink(address, state.name, state);
    }

    @Override
    public void close() {
        state.lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            // the conditions are shared with other handles; each waiter checks its own handle
            state.notEmpty.signalAll();
            state.notFull.signalAll();
        } finally {
            state.lock.unlock();
        }
    }

    private void ensureOpen() throws ChannelClosedException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
    }

    @Override
    public String toString() {
        return "InprocQueue[" + address + (closed ? ", closed]" : "]");
    }
}
