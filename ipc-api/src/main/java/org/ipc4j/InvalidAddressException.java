package org.ipc4j;

/**
 * An address string could not be used: malformed, an unknown query key, a malformed name, size,
 * duration or mode. The message names the address, the offending part and what is accepted.
 * A well-formed address whose scheme no provider serves is an {@link UnknownSchemeException}.
 */
public final class InvalidAddressException extends IpcException {
    private static final long serialVersionUID = 1L;

    private final String part;

    /**
     * @param address the whole address as given
     * @param part the offending part (a key, a value, the name)
     * @param message what is wrong and what is accepted
     */
    public InvalidAddressException(String address, String part, String message) {
        super(address, message);
        this.part = part;
    }

    /** The offending part of the address: a scheme, key, value or name. */
    public String part() {
        return part;
    }
}
