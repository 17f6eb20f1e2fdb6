package org.ipc4j;

import java.io.IOException;

/**
 * An IPC operation failed in a way a correct program must handle: the object is missing or exists,
 * access was refused, a system limit was hit, the peer went away, an address was malformed.
 *
 * <p>Every instance names the IPC object it concerns (an address, a queue name, a path) through
 * {@link #object()}, and its message says what failed, with which values, and what is allowed.
 * Subtypes add identity for the cases callers commonly distinguish.
 */
public class IpcException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String object;

    /**
     * @param object the IPC object concerned (address, name or path); never empty in practice
     * @param message what failed, with the values involved and what is allowed
     */
    public IpcException(String object, String message) {
        super(message);
        this.object = object;
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, with the values involved and what is allowed
     * @param cause the underlying failure
     */
    public IpcException(String object, String message, Throwable cause) {
        super(message, cause);
        this.object = object;
    }

    /** The IPC object this failure concerns, as the user named it (address, queue name, path). */
    public String object() {
        return object;
    }
}
