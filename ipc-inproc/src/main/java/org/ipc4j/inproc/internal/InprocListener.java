package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;

/**
 * Listens for inproc channels at one name. {@link #connect} pairs two channel ends at once and
 * queues the listener's end for {@link #accept()}: connecting never waits for accept.
 */
public final class InprocListener implements ChannelListener {
    /** Query keys of channel addresses, besides the common ones. */
    public static final String[] KEYS = {"maxMessageSize", "capacity"};
    /** Default largest message: 1 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    /** Default messages buffered per direction. */
    public static final int DEFAULT_CAPACITY = 1024;

    private static final ConcurrentMap<String, InprocListener> LISTENERS = new ConcurrentHashMap<>();
    /** Signalled whenever a listener appears, for connects that wait with {@code timeout}. */
    private static final ReentrantLock APPEARED_LOCK = new ReentrantLock();
    private static final Condition APPEARED = APPEARED_LOCK.newCondition();

    private final String name;
    private final String address;
    private final int maxMessageSize;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<InprocChannel> backlog = new ArrayDeque<>();
    private volatile boolean closed;

    private InprocListener(String name, String address, int maxMessageSize, int capacity) {
        this.name = name;
        this.address = address;
        this.maxMessageSize = maxMessageSize;
        this.capacity = capacity;
    }

    /**
     * Listens at the address's name.
     *
     * @throws ObjectExistsException if another listener holds the name
     */
    public static InprocListener listen(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        int max = maxMessageSize(address);
        int capacity = capacity(address);
        InprocListener listener = new InprocListener(address.name(), address.text(), max, capacity);
        InprocListener present = LISTENERS.putIfAbsent(address.name(), listener);
        if (present != null) {
            throw new ObjectExistsException(address.text(), "an inproc listener already listens at '"
                    + address.name() + "' (address '" + present.address + "'); close it first or choose another name");
        }
        APPEARED_LOCK.lock();
        try {
            APPEARED.signalAll();
        } finally {
            APPEARED_LOCK.unlock();
        }
        return listener;
    }

    /**
     * Connects to the listener at the address's name. The channel's largest message is the smaller of
     * the two sides' {@code maxMessageSize}; each side's {@code capacity} bounds what is buffered
     * towards it. Never waits for accept; with {@code timeout} it waits that long for a listener to
     * appear at the name.
     *
     * @throws ObjectNotFoundException if nobody listens there
     * @throws IpcTimeoutException if {@code timeout} was given and no listener appeared within it
     */
    public static Channel connect(IpcAddress address) throws IOException {
        address.checkKeys(KEYS);
        int max = maxMessageSize(address);
        int capacity = capacity(address);
        InprocListener listener = LISTENERS.get(address.name());
        Duration timeout = address.timeout(Duration.ZERO);
        if (listener == null && !timeout.isZero()) {
            listener = awaitListener(address, timeout);
        }
        if (listener != null) {
            if (address.has("maxMessageSize")) {
                max = Math.min(max, listener.maxMessageSize);
            } else {
                max = listener.maxMessageSize;
            }
            InprocChannel[] ends = InprocChannel.pair(listener.address, address.text(), max,
                    listener.capacity, capacity);
            if (listener.offer(ends[0])) {
                return ends[1];
            }
        }
        throw new ObjectNotFoundException(address.text(), "no inproc listener at '" + address.name()
                + "' in this JVM (address '" + address.text() + "'); call Ipc.listen(\"inproc:"
                + address.name() + "\") first");
    }

    private static InprocListener awaitListener(IpcAddress address, Duration timeout) throws IOException {
        APPEARED_LOCK.lock();
        try {
            long remaining = Waits.nanos(timeout);
            InprocListener listener;
            while ((listener = LISTENERS.get(address.name())) == null) {
                if (Waits.expired(remaining)) {
                    throw new IpcTimeoutException(address.text(), "connect (waiting for a listener)", timeout);
                }
                remaining = Waits.await(APPEARED, remaining, address.text(), "connect");
            }
            return listener;
        } finally {
            APPEARED_LOCK.unlock();
        }
    }

    private static int maxMessageSize(IpcAddress address) throws IOException {
        long max = address.size("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE);
        if (max < 1 || max > Limits.MAX_ARRAY) {
            throw address.invalid("maxMessageSize", "maxMessageSize=" + max + " is out of range; accepted: 1 to "
                    + Limits.MAX_ARRAY + " bytes, such as 64KiB");
        }
        return (int) max;
    }

    private static int capacity(IpcAddress address) throws IOException {
        return (int) address.integer("capacity", DEFAULT_CAPACITY, 1, Integer.MAX_VALUE);
    }

    private boolean offer(InprocChannel end) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            backlog.addLast(end);
            arrived.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public Channel accept() throws IOException {
        return accept(Waits.FOREVER, null);
    }

    @Override
    public Channel accept(Duration timeout) throws IOException {
        return accept(Waits.nanos(timeout), timeout);
    }

    private Channel accept(long nanos, Duration timeout) throws IOException {
        lock.lock();
        try {
            long remaining = nanos;
            while (true) {
                if (closed) {
                    throw new ChannelClosedException(address);
                }
                InprocChannel next = backlog.pollFirst();
                if (next != null) {
                    return next;
                }
                if (Waits.expired(remaining)) {
                    throw new IpcTimeoutException(address, "accept", timeout);
                }
                remaining = Waits.await(arrived, remaining, address, "accept");
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
            LISTENERS.remove(name, this);
            // connections nobody accepted: their connectors see end of stream
            backlog.forEach(InprocChannel::close);
            backlog.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InprocListener[" + address + (closed ? ", closed]" : "]");
    }
}
