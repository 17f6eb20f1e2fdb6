package org.ipc4j;

/** The system refused access to an IPC object: its owner or mode does not allow this user, or it is not the kind of object expected at that path. */
public class PermissionDeniedException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     */
    public PermissionDeniedException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     * @param cause the underlying failure
     */
    public PermissionDeniedException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
