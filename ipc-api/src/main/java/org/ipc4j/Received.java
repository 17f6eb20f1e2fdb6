package org.ipc4j;

/**
 * What a {@link MessageQueue} receive delivered.
 *
 * @param length the message's length in bytes, written at the buffer's former position
 * @param priority the priority it was sent with
 */
public record Received(int length, int priority) {
    /** @throws IllegalArgumentException if length or priority is negative */
    public Received {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: length=" + length);
        }
        if (priority < 0) {
            throw new IllegalArgumentException("priority must be >= 0: priority=" + priority);
        }
    }
}
