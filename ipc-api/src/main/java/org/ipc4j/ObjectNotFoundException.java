package org.ipc4j;

/** The named IPC object does not exist (and {@code create} was not given), or a process or peer to reach is not there. */
public class ObjectNotFoundException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     */
    public ObjectNotFoundException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     * @param cause the underlying failure
     */
    public ObjectNotFoundException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
