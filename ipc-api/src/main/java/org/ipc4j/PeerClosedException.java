package org.ipc4j;

/**
 * The other side is gone: it closed its end, or its process died. Thrown by {@code send}; a
 * {@code receive} reports the same situation as end of stream (-1) once every message the peer
 * sent has been delivered.
 */
public final class PeerClosedException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the channel's address
     * @param message how the peer's absence was noticed
     */
    public PeerClosedException(String object, String message) {
        super(object, message);
    }

    /**
     * @param object the channel's address
     * @param message how the peer's absence was noticed
     * @param cause the underlying failure, such as a broken pipe
     */
    public PeerClosedException(String object, String message, Throwable cause) {
        super(object, message, cause);
    }
}
