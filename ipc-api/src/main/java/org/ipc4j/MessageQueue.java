package org.ipc4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * A named queue of messages that outlives the processes that open it: many senders and many
 * receivers, in any processes, each message delivered to exactly one receiver.
 *
 * <p><b>Order.</b> A receive takes the oldest message of the highest priority present. Priorities
 * run from 0 to {@link #maxPriority()}; a backend without priorities has {@code maxPriority() == 0}.
 *
 * <p><b>Buffers and sizes</b> behave as for {@link Channel}: send takes position to limit and moves
 * the position to the limit; receive writes at the position and advances it. A message longer than
 * {@link #maxMessageSize()} is refused with {@link MessageTooLargeException} and nothing is sent; a
 * receive buffer with less room than the waiting message gets {@link MessageTooLargeException} naming
 * both sizes, and the message stays queued unless {@link MessageTooLargeException#discarded()} says
 * otherwise.
 *
 * <p><b>Blocking.</b> send blocks while the queue holds {@link #capacity()} messages; receive blocks
 * while it is empty. Timed forms throw {@link IpcTimeoutException} with nothing sent or consumed;
 * {@code try} forms never block. Interrupts and close from another thread behave as for
 * {@link Channel}.
 *
 * <p><b>Life.</b> {@link #close()} releases this process's handle only; the queue and its messages
 * stay in the system until {@link #unlink()}. A queue removed while a thread waits on it ends that
 * wait with {@link ObjectRemovedException} where the kernel reports it.
 */
public interface MessageQueue extends java.nio.channels.Channel {

    /** The queue's address, as opened. */
    String address();

    /** The most messages the queue holds before send blocks. */
    int capacity();

    /** The largest message in bytes. */
    int maxMessageSize();

    /** The highest priority accepted; 0 if this backend has no priorities. */
    int maxPriority();

    /**
     * The number of messages in the queue now (a snapshot; other processes change it).
     *
     * @throws IOException if the queue is closed or the system refused
     */
    int size() throws IOException;

    /**
     * Sends one message with priority 0, blocking while the queue is full.
     *
     * @throws IOException as {@link #send(ByteBuffer, int)}
     */
    default void send(ByteBuffer message) throws IOException {
        send(message, 0);
    }

    /**
     * Sends one message, blocking while the queue is full.
     *
     * @param priority 0 to {@link #maxPriority()}; higher is received first
     * @throws IllegalArgumentException if {@code priority} is out of range (the message names the range)
     * @throws MessageTooLargeException if {@code message.remaining() > maxMessageSize()}
     * @throws java.nio.channels.ClosedChannelException if this handle is closed
     * @throws IOException if the system refused the operation or the queue was removed
     */
    void send(ByteBuffer message, int priority) throws IOException;

    /**
     * Sends one message, giving up after {@code timeout}.
     *
     * @throws IpcTimeoutException if the queue stayed full; nothing was sent
     * @throws IOException as {@link #send(ByteBuffer, int)}
     */
    void send(ByteBuffer message, int priority, Duration timeout) throws IOException;

    /**
     * Sends one message if the queue has room now.
     *
     * @return false if the queue was full; nothing was sent
     * @throws IOException as {@link #send(ByteBuffer, int)}
     */
    boolean trySend(ByteBuffer message, int priority) throws IOException;

    /**
     * Receives the next message, blocking while the queue is empty.
     *
     * @throws MessageTooLargeException if the message is longer than {@code dst.remaining()}
     * @throws java.nio.channels.ClosedChannelException if this handle is closed
     * @throws IOException if the system refused the operation or the queue was removed
     */
    Received receive(ByteBuffer dst) throws IOException;

    /**
     * Receives the next message, giving up after {@code timeout}.
     *
     * @throws IpcTimeoutException if the queue stayed empty; nothing was consumed
     * @throws IOException as {@link #receive(ByteBuffer)}
     */
    Received receive(ByteBuffer dst, Duration timeout) throws IOException;

    /**
     * Receives the next message if one is waiting.
     *
     * @return the message's length and priority, or empty if the queue was empty
     * @throws IOException as {@link #receive(ByteBuffer)}
     */
    Optional<Received> tryReceive(ByteBuffer dst) throws IOException;

    /**
     * Removes the queue's name from the system; no new process can open it by name. What happens to
     * handles already open depends on the kind, as the kernel decides: POSIX queues and shared-memory
     * queues live on until the last handle closes, so open handles keep working; a SysV queue is
     * destroyed at once, and every call on an open handle (including one blocked in it) fails with
     * {@link ObjectRemovedException}. Backends declare which through the test kit's contract.
     *
     * @throws ObjectNotFoundException if it was already removed
     * @throws IOException if the system refused
     */
    void unlink() throws IOException;

    /** Releases this process's handle. Idempotent; safe from any thread; blocked threads are woken. */
    @Override
    void close() throws IOException;
}
