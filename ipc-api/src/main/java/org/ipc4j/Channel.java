package org.ipc4j;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.ipc4j.spi.DrainArguments;

/**
 * A message-oriented connection to one peer process.
 *
 * <p><b>Messages.</b> One {@code send} is one {@code receive}: boundaries are kept. Stream
 * transports frame each message with a 4-byte big-endian length, unless the address asks for
 * {@code ?framing=raw}, in which case a receive returns whatever bytes are available (at least one).
 * Empty messages are allowed. A message longer than {@link #maxMessageSize()} is refused by
 * {@code send} with {@link MessageTooLargeException} and nothing is sent.
 *
 * <p><b>Buffers.</b> {@code send} sends the bytes between the buffer's position and limit and, on
 * success, advances its position to its limit. {@code receive} writes the message at the buffer's
 * position and advances it by the message's length. If the message is longer than
 * {@code dst.remaining()}, receive throws {@link MessageTooLargeException} naming both sizes and
 * leaves the buffer untouched; {@link MessageTooLargeException#discarded()} says whether the message
 * is still in place.
 *
 * <p><b>Blocking and timeouts.</b> {@code send} blocks while the peer is full; {@code receive}
 * blocks until a message arrives. The timed forms give up with {@link IpcTimeoutException} with
 * nothing sent or consumed; {@link Duration#ZERO} polls once. A thread interrupted while blocked
 * gets {@link java.io.InterruptedIOException}, keeps its interrupt status, and the channel stays
 * open.
 *
 * <p><b>Close.</b> Open when returned; once closed, stays closed. Any operation on a closed channel
 * throws {@link java.nio.channels.ClosedChannelException}. {@code close()} is idempotent and may be
 * called from any thread; a thread blocked in send or receive then gets
 * {@link java.nio.channels.AsynchronousCloseException}.
 *
 * <p><b>Peer gone.</b> When the peer closes or its process dies, receive delivers every message
 * the peer completed and then returns -1 (end of stream); send throws {@link PeerClosedException}.
 * On a {@link Property#RELIABLE} channel nothing reported as sent is lost while the peer lives.
 *
 * <p>One thread may send while another receives. Concurrent senders are serialised so that
 * messages never interleave; the same holds for concurrent receivers. A backend may offer address
 * options that confine sending, or receiving, to one thread in exchange for speed (the {@code shm:}
 * channel's {@code singleSender} and {@code singleReceiver}); a call from another thread then
 * throws {@link IllegalStateException} and sends or consumes nothing.
 */
public interface Channel extends java.nio.channels.Channel {
    /** The size of the first buffer {@link #receive()} tries: 64 KiB. */
    int FIRST_RECEIVE_BUFFER = 64 * 1024;


    /** What a channel guarantees; a contract test needing a property skips channels without it. */
    enum Property {
        /** Nothing reported as sent is lost while both ends live. */
        RELIABLE,
        /** Messages arrive in the order they were sent. */
        ORDERED,
        /** Both ends may send and receive. */
        BIDIRECTIONAL,
        /** The peer may be on another host. */
        CROSS_HOST,
        /** {@link #peerCredentials()} tells the peer's pid, uid and gid. */
        PEER_CREDENTIALS,
        /** Open file descriptors can be passed to the peer. */
        FD_PASSING
    }

    /** The address this channel was opened with, for messages and logs. */
    String address();

    /** What this channel guarantees. Never changes during the channel's life. */
    Set<Property> properties();

    /** The largest message, in bytes, that {@link #send(ByteBuffer)} accepts and receive may return. */
    int maxMessageSize();

    /**
     * The peer process's credentials, where the transport can tell them
     * ({@link Property#PEER_CREDENTIALS}); empty otherwise.
     */
    default Optional<PeerCredentials> peerCredentials() {
        return Optional.empty();
    }

    /**
     * Sends one message, blocking while the peer is full.
     *
     * @param message the bytes from position to limit; the position moves to the limit on success
     * @throws MessageTooLargeException if {@code message.remaining() > maxMessageSize()}; nothing is sent
     * @throws java.nio.channels.ClosedChannelException if this channel is closed
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed it meanwhile
     * @throws PeerClosedException if the peer closed its end or died
     * @throws java.io.InterruptedIOException if the thread was interrupted while blocked
     * @throws IOException if the system refused the operation; the message says why
     */
    void send(ByteBuffer message) throws IOException;

    /**
     * Sends one message, giving up after {@code timeout}.
     *
     * @param message the bytes from position to limit; the position moves to the limit on success
     * @param timeout the longest time to block; {@link Duration#ZERO} sends only if there is room now
     * @throws IpcTimeoutException if the peer stayed full for the whole timeout; nothing was sent
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IOException as {@link #send(ByteBuffer)}
     */
    void send(ByteBuffer message, Duration timeout) throws IOException;

    /**
     * Receives one message into {@code dst}, blocking until one arrives.
     *
     * @return the message's length (0 for an empty message), or -1 at end of stream: the peer closed
     *     and every message it sent was delivered
     * @throws MessageTooLargeException if the message is longer than {@code dst.remaining()}
     * @throws java.nio.channels.ClosedChannelException if this channel is closed
     * @throws java.nio.channels.AsynchronousCloseException if another thread closed it meanwhile
     * @throws java.io.InterruptedIOException if the thread was interrupted while blocked
     * @throws IOException if the system refused the operation or the peer broke the protocol
     */
    int receive(ByteBuffer dst) throws IOException;

    /**
     * Receives one message, giving up after {@code timeout}.
     *
     * @param timeout the longest time to block; {@link Duration#ZERO} takes a message only if one is waiting
     * @return the message's length, or -1 at end of stream
     * @throws IpcTimeoutException if nothing arrived within the timeout; nothing was consumed
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IOException as {@link #receive(ByteBuffer)}
     */
    int receive(ByteBuffer dst, Duration timeout) throws IOException;

    /**
     * Receives one message into a new array sized to it, blocking until one arrives.
     *
     * <p>The default receives into a buffer of at most {@link #FIRST_RECEIVE_BUFFER} bytes and, when the
     * message is longer and still in place ({@link MessageTooLargeException#discarded()} is false),
     * again into one of the message's size: a channel whose maximum is large (16 MiB on sockets) does not
     * allocate its maximum per call.
     *
     * @throws EOFException at end of stream: the peer closed and every message was delivered
     * @throws IOException as {@link #receive(ByteBuffer)}
     */
    default byte[] receive() throws IOException {
        ByteBuffer message = receiveSized(null);
        if (message == null) {
            throw new EOFException("end of stream on '" + address() + "': the peer closed its end");
        }
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        return bytes;
    }

    /**
     * Hands the messages that are waiting, up to {@code maxMessages}, to {@code handler} in order,
     * blocking until at least one arrives.
     *
     * <p>A batch costs one call where {@link #receive(ByteBuffer)} costs one per message, and a
     * channel over shared memory hands out each message in place, uncopied. Each message counts as
     * received once the handler returns or throws; an exception from the handler ends the drain and
     * reaches the caller, with the messages after it still waiting. The default implementation
     * receives one message per call into a new buffer; backends that can do better override it.
     *
     * @param handler takes each message; see {@link MessageHandler} for what it may do
     * @param maxMessages the most messages to hand over in this call, at least 1
     * @return the number of messages handed over (at least 1), or -1 at end of stream
     * @throws IllegalArgumentException if {@code maxMessages < 1}
     * @throws NullPointerException if {@code handler} is null
     * @throws IllegalStateException if called from a handler of a drain on this same channel that
     *     hands out messages in place
     * @throws IOException as {@link #receive(ByteBuffer)}, or as thrown by the handler
     */
    default int drain(MessageHandler handler, int maxMessages) throws IOException {
        DrainArguments.check(this, handler, maxMessages);
        ByteBuffer message = receiveSized(null);
        if (message == null) {
            return -1;
        }
        handler.onMessage(message.asReadOnlyBuffer());
        return 1;
    }

    /**
     * Hands the messages that are waiting, up to {@code maxMessages}, to {@code handler} in order,
     * waiting at most {@code timeout} for the first.
     *
     * <p>Unlike the timed {@code receive}, this does not throw {@link IpcTimeoutException}: a batch
     * loop that polls with {@link Duration#ZERO} gets 0 when nothing is waiting. Otherwise as
     * {@link #drain(MessageHandler, int)}.
     *
     * @param timeout the longest time to wait for the first message; {@link Duration#ZERO} only takes
     *     the messages already waiting
     * @return the number of messages handed over, 0 if none arrived within the timeout, or -1 at end of
     *     stream
     * @throws IllegalArgumentException if {@code maxMessages < 1} or {@code timeout} is negative
     * @throws IOException as {@link #drain(MessageHandler, int)}
     */
    default int drain(MessageHandler handler, int maxMessages, Duration timeout) throws IOException {
        DrainArguments.check(this, handler, maxMessages);
        ByteBuffer message;
        try {
            message = receiveSized(timeout);
        } catch (IpcTimeoutException e) {
            return 0;
        }
        if (message == null) {
            return -1;
        }
        handler.onMessage(message.asReadOnlyBuffer());
        return 1;
    }

    /**
     * Receives one message into a buffer of at most {@link #FIRST_RECEIVE_BUFFER} bytes, or, when it
     * is longer and still in place, into one of its size; the message is between the buffer's position
     * and limit. Null at end of stream; {@code timeout} null for none.
     */
    private ByteBuffer receiveSized(Duration timeout) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.min(maxMessageSize(), FIRST_RECEIVE_BUFFER));
        while (true) {
            try {
                int length = timeout == null ? receive(buffer) : receive(buffer, timeout);
                return length < 0 ? null : buffer.flip();
            } catch (MessageTooLargeException e) {
                if (e.discarded() || e.size() <= buffer.capacity() || e.size() > maxMessageSize()) {
                    throw e;
                }
                buffer = ByteBuffer.allocate((int) e.size());
            }
        }
    }

    /**
     * Closes this process's end. Idempotent; safe from any thread. Threads blocked on this channel get
     * {@link java.nio.channels.AsynchronousCloseException}. The peer sees end of stream after the
     * messages already sent.
     */
    @Override
    void close() throws IOException;
}
