package org.ipc4j;

/** The named IPC object already exists and {@code exclusive} was given, or an address is already in use by a live owner. */
public class ObjectExistsException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     */
    public ObjectExistsException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     * @param cause the underlying failure
     */
    public ObjectExistsException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
