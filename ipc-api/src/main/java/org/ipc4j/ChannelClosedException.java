package org.ipc4j;

import java.nio.channels.ClosedChannelException;

/** Thrown on use of an IPC object after this process closed it. */
public final class ChannelClosedException extends ClosedChannelException {
    private static final long serialVersionUID = 1L;

    private final String object;

    /** @param object the closed object's address or name */
    public ChannelClosedException(String object) {
        this.object = object;
    }

    /** The closed object's address or name. */
    public String object() {
        return object;
    }

    @Override
    public String getMessage() {
        return "'" + object + "' is closed";
    }
}
