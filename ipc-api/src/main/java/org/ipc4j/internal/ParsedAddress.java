package org.ipc4j.internal;

import java.util.Map;

/**
 * The parts of an address after syntax checks.
 *
 * @param text the address as given
 * @param scheme the scheme, lowercase
 * @param name what follows the scheme (and {@code //} for host schemes) up to the query; may be empty
 * @param host the host for {@link AddressSyntax#HOST_PORT} schemes, else null
 * @param port the port for {@link AddressSyntax#HOST_PORT} schemes, else -1
 * @param key the SysV key for a numeric {@link AddressSyntax#KEY_OR_PATH}, else null
 * @param query the query keys in order; a flag without value maps to ""
 */
public record ParsedAddress(String text, String scheme, String name, String host, int port, Integer key,
                            Map<String, String> query) {
}
