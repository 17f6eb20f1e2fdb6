package org.ipc4j;

/**
 * No usable provider exists for what was asked: no provider on the class path serves the scheme
 * ({@link UnknownSchemeException}), the chosen provider cannot serve this kind of object, or two
 * providers claim one scheme. The message lists what was tried and what is present; causes are
 * attached as suppressed exceptions.
 */
public class IpcUnavailableException extends IpcException {
    private static final long serialVersionUID = 1L;

    /**
     * @param object the scheme, address or feature that could not be served
     * @param message what was tried and what to add or configure
     */
    public IpcUnavailableException(String object, String message) {
        super(object, message);
    }
}
