package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.IpcException;

/** An {@code inproc:} channel with one {@link ChannelFault}. */
final class BrokenChannel implements Channel {
    private final Channel delegate;
    private final ChannelFault fault;
    private final String address;
    private long sends;
    private ByteBuffer held;
    private volatile boolean closed;
    private int receiving;
    private boolean closePending;

    private final boolean canSend;
    private final boolean canReceive;

    /** @param accepted true for the listener's end, false for the connecting end */
    BrokenChannel(Channel delegate, ChannelFault fault, String address, boolean accepted) {
        this.delegate = delegate;
        this.fault = fault;
        this.address = address;
        boolean in = fault == ChannelFault.ONE_WAY_IN;
        boolean out = fault == ChannelFault.ONE_WAY_OUT;
        this.canSend = !(in && accepted) && !(out && !accepted);
        this.canReceive = !(in && !accepted) && !(out && accepted);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public Set<Property> properties() {
        EnumSet<Property> p = EnumSet.noneOf(Property.class);
        p.addAll(delegate.properties());
        if (!canSend || !canReceive) {
            p.remove(Property.BIDIRECTIONAL);
        }
        if (fault == ChannelFault.UNDECLARED) {
            p.remove(Property.RELIABLE);
            p.remove(Property.ORDERED);
        }
        return p;
    }

    @Override
    public int maxMessageSize() {
        return delegate.maxMessageSize();
    }

    @Override
    public void send(ByteBuffer message) throws IOException {
        if (!fault(message)) {
            delegate.send(message);
        }
    }

    @Override
    public void send(ByteBuffer message, Duration timeout) throws IOException {
        if (!fault(message)) {
            if (fault == ChannelFault.NO_TIMEOUT && !timeout.isNegative() && !timeout.isZero()) {
                delegate.send(message);
            } else {
                delegate.send(message, timeout);
            }
        }
    }

    /** Applies a send fault; true if the message was dealt with (dropped or held). */
    private boolean fault(ByteBuffer message) throws IOException {
        checkOpen();
        if (!canSend) {
            throw new IpcException(address, "'" + address + "' is one-way: this end only receives");
        }
        long n;
        synchronized (this) {
            n = ++sends;
        }
        if (fault == ChannelFault.DROP && n == 3 && message.remaining() <= maxMessageSize()) {
            message.position(message.limit());
            return true;
        }
        if (fault == ChannelFault.REORDER && n == 2 && message.remaining() <= maxMessageSize()) {
            held = ByteBuffer.allocate(message.remaining()).put(message).flip();
            return true;
        }
        if (fault == ChannelFault.REORDER && n == 3 && held != null) {
            delegate.send(message);
            delegate.send(held);
            held = null;
            return true;
        }
        return false;
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        checkOpen();
        checkReceives();
        entering();
        try {
            return delegate.receive(dst);
        } finally {
            leaving();
        }
    }

    @Override
    public int receive(ByteBuffer dst, Duration timeout) throws IOException {
        checkOpen();
        checkReceives();
        entering();
        try {
            if (fault == ChannelFault.NO_TIMEOUT && !timeout.isNegative()) {
                return delegate.receive(dst);
            }
            if (fault == ChannelFault.LATE_TIMEOUT && !timeout.isNegative()) {
                return delegate.receive(dst, timeout.plusSeconds(3));
            }
            return delegate.receive(dst, timeout);
        } finally {
            leaving();
        }
    }

    private synchronized void entering() {
        receiving++;
    }

    /** Under IGNORE_CLOSE, the close that a blocked receive ignored happens once it returns. */
    private void leaving() throws IOException {
        boolean closeNow;
        synchronized (this) {
            closeNow = --receiving == 0 && closePending;
        }
        if (closeNow) {
            delegate.close();
        }
    }

    private void checkReceives() throws IpcException {
        if (!canReceive) {
            throw new IpcException(address, "'" + address + "' is one-way: this end only sends");
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
        if (fault == ChannelFault.IGNORE_CLOSE) {
            synchronized (this) {
                if (receiving > 0) {
                    // the bug: a blocked receive is left blocked
                    closePending = true;
                    return;
                }
            }
        }
        delegate.close();
    }
}
