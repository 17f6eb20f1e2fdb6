package org.ipc4j;

import java.nio.channels.AsynchronousCloseException;

/** Thrown to a thread blocked on an IPC object when another thread closes that object. */
public final class AsyncClosedException extends AsynchronousCloseException {
    private static final long serialVersionUID = 1L;

    private final String object;

    /** @param object the closed object's address or name */
    public AsyncClosedException(String object) {
        this.object = object;
    }

    /** The closed object's address or name. */
    public String object() {
        return object;
    }

    @Override
    public String getMessage() {
        return "'" + object + "' was closed by another thread while this one was blocked on it";
    }
}
