package org.ipc4j;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Takes the messages of {@link Channel#drain(MessageHandler, int, java.time.Duration)} one at a time.
 *
 * <p>The message is the bytes between the buffer's position and limit. The buffer is read-only and
 * valid only during the call: a channel may hand out a view of its own memory (the shm ring), whose
 * bytes the peer reuses once the handler returns. Copy what must outlive the call. The handler may
 * move the buffer's position and limit. It may send on the same channel or close it, but not receive
 * from it: a channel that hands out messages in place throws {@link IllegalStateException} then.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles one message. The message counts as received once this returns or throws.
     *
     * @param message the message between position and limit; read-only, valid only during this call
     * @throws IOException to stop the drain; it reaches the caller of {@code drain}
     */
    void onMessage(ByteBuffer message) throws IOException;
}
