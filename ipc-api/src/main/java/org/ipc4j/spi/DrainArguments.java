package org.ipc4j.spi;

import java.util.Objects;
import org.ipc4j.Channel;
import org.ipc4j.MessageHandler;

/**
 * The argument check of {@link Channel#drain(MessageHandler, int)}, for backends that override it,
 * so that every channel refuses bad arguments in the same words.
 */
public final class DrainArguments {
    private DrainArguments() {
    }

    /**
     * Checks that {@code handler} is present and {@code maxMessages} is at least 1.
     *
     * @throws NullPointerException if {@code handler} is null
     * @throws IllegalArgumentException if {@code maxMessages < 1}; the message names the channel
     */
    public static void check(Channel channel, MessageHandler handler, int maxMessages) {
        Objects.requireNonNull(handler, "handler");
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1 for drain on '" + channel.address()
                    + "': maxMessages=" + maxMessages);
        }
    }
}
