package org.ipc4j;

import java.io.IOException;
import java.time.Duration;

/**
 * Accepts channels from peer processes at one address, from {@link Ipc#listen(String)}.
 *
 * <p>Open when returned; once closed, stays closed, and the address is released (a socket file is
 * removed). {@code close()} is idempotent and safe from any thread; a thread blocked in
 * {@link #accept()} then gets {@link java.nio.channels.AsynchronousCloseException}. Channels already
 * accepted stay open.
 */
public interface ChannelListener extends java.nio.channels.Channel {

    /**
     * The address peers connect to, with anything chosen at bind time filled in (for example the
     * port when {@code tcp://127.0.0.1:0} was asked for). Passing it to {@link Ipc#connect(String)}
     * reaches this listener.
     */
    String address();

    /**
     * Waits for the next peer and returns the channel to it.
     *
     * @throws java.nio.channels.ClosedChannelException if this listener is closed
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed it meanwhile
     * @throws java.io.InterruptedIOException if the thread was interrupted while waiting
     * @throws IOException if the system refused, or the peer was refused by the listener's policy
     */
    Channel accept() throws IOException;

    /**
     * Waits at most {@code timeout} for the next peer.
     *
     * @throws IpcTimeoutException if no peer came within the timeout
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IOException as {@link #accept()}
     */
    Channel accept(Duration timeout) throws IOException;

    /** Stops listening and releases the address. Idempotent; safe from any thread. */
    @Override
    void close() throws IOException;
}
