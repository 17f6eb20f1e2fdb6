package org.ipc4j;

/** A system limit was hit: a kernel limit on queues, message sizes or counts, file descriptors, or space in a file system. The message names the limit and, where one exists, the file that sets it. */
public class ResourceLimitException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     */
    public ResourceLimitException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the IPC object concerned
     * @param message what failed, the values involved and what is allowed
     * @param cause the underlying failure
     */
    public ResourceLimitException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
