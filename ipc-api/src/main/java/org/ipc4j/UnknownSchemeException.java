package org.ipc4j;

import java.util.List;

/**
 * No provider on the class path serves an address's scheme. The message names the scheme and the
 * address and lists the schemes that are present ({@link #available()}), which tells a user whether
 * a backend module is missing or the scheme is misspelt.
 */
public final class UnknownSchemeException extends IpcUnavailableException {
    private static final long serialVersionUID = 1L;

    private final String scheme;
    private final List<String> available;

    /**
     * @param address the whole address as given
     * @param scheme its scheme
     * @param available the schemes of the providers on the class path
     */
    public UnknownSchemeException(String address, String scheme, List<String> available) {
        super(address, "unknown scheme '" + scheme + "' in address '" + address
                + "'; schemes of the providers on the class path: "
                + (available.isEmpty() ? "none (add ipc-posix, ipc-socket or ipc-shm)" : String.join(", ", available)));
        this.scheme = scheme;
        this.available = List.copyOf(available);
    }

    /** The scheme no provider serves. */
    public String scheme() {
        return scheme;
    }

    /** The schemes the providers on the class path serve, sorted. */
    public List<String> available() {
        return available;
    }
}
