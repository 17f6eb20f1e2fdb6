package org.ipc4j;

/** The IPC object was removed from the system (unlinked or {@code IPC_RMID}) while this process was using it. */
public class ObjectRemovedException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     */
    public ObjectRemovedException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     * @param cause the underlying failure
     */
    public ObjectRemovedException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
