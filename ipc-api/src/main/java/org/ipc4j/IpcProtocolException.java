package org.ipc4j;

/** Bytes from the other side break the format: a frame length out of range, a region header or record that is not ipc4j's. The channel is closed; nothing large was allocated. */
public class IpcProtocolException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     */
    public IpcProtocolException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     * @param cause the underlying failure
     */
    public IpcProtocolException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
