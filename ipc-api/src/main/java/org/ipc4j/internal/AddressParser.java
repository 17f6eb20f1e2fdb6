package org.ipc4j.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ipc4j.InvalidAddressException;

/**
 * The one parser for every address: {@code scheme:name?key=value&flag}. Checks the name against
 * the scheme's {@link AddressSyntax} and the common query keys' values; leaves other keys to the
 * provider, which checks them with {@link org.ipc4j.IpcAddress#checkKeys}.
 */
public final class AddressParser {
    private AddressParser() {
    }

    /** Parses {@code text}; every error names the address and the offending part. */
    public static ParsedAddress parse(String text) throws InvalidAddressException {
        if (text == null) {
            throw new NullPointerException("address must not be null");
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new InvalidAddressException(text, text,
                    "address '" + text + "' has no scheme; accepted: scheme:name?options, such as mq:/jobs or tcp://127.0.0.1:7000");
        }
        String scheme = text.substring(0, colon);
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            throw new InvalidAddressException(text, scheme, "bad scheme '" + scheme + "' in address '" + text
                    + "'; a scheme is lowercase letters, digits, '+', '.' or '-', starting with a letter");
        }
        String rest = text.substring(colon + 1);
        int q = rest.indexOf('?');
        String target = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> query = q < 0 ? Map.of() : parseQuery(text, rest.substring(q + 1));

        AddressSyntax syntax = AddressSyntax.of(scheme);
        String name = target;
        String host = null;
        int port = -1;
        Integer key = null;
        switch (syntax) {
            case NONE -> {
                if (!target.isEmpty()) {
                    throw bad(text, target, "nothing may stand between '" + scheme + ":' and '?'", syntax);
                }
            }
            case PATH -> checkPath(text, target, AddressSyntax.PATH_MAX, syntax);
            case UNIX_PATH -> {
                if (target.startsWith("@")) {
                    checkNoNul(text, target, syntax);
                    int bytes = utf8Length(target.substring(1));
                    if (bytes == 0 || bytes > AddressSyntax.UNIX_PATH_MAX) {
                        throw bad(text, target, "abstract name '" + target + "' is " + bytes
                                + " bytes; accepted: 1 to " + AddressSyntax.UNIX_PATH_MAX, syntax);
                    }
                } else {
                    checkPath(text, target, AddressSyntax.UNIX_PATH_MAX, syntax);
                }
            }
            case NAME -> checkName(text, target, AddressSyntax.NAME_MAX, syntax);
            case SEM_NAME -> checkName(text, target, AddressSyntax.SEM_NAME_MAX, syntax);
            case KEY_OR_PATH -> {
                if (target.startsWith("/")) {
                    checkPath(text, target, AddressSyntax.PATH_MAX, syntax);
                } else {
                    key = parseKey(text, target, syntax);
                }
            }
            case HOST_PORT -> {
                if (!target.startsWith("//")) {
                    throw bad(text, target, "expected '//' after '" + scheme + ":'", syntax);
                }
                String hostPort = target.substring(2);
                checkNoNul(text, hostPort, syntax);
                if (hostPort.chars().anyMatch(Character::isWhitespace)) {
                    throw bad(text, hostPort, "host and port '" + hostPort + "' contain white space", syntax);
                }
                int portColon = hostPort.lastIndexOf(':');
                if (portColon < 0) {
                    throw bad(text, hostPort, "no port in '" + hostPort + "'", syntax);
                }
                host = hostPort.substring(0, portColon);
                if (host.startsWith("[")) {
                    if (!host.endsWith("]") || host.length() < 3) {
                        throw bad(text, host, "unclosed or empty IPv6 brackets in host '" + host + "'", syntax);
                    }
                    host = host.substring(1, host.length() - 1);
                } else if (host.isEmpty() || host.indexOf(':') >= 0 || host.indexOf('/') >= 0) {
                    throw bad(text, host, "bad host '" + host + "'", syntax);
                }
                port = parsePort(text, hostPort.substring(portColon + 1), syntax);
                name = hostPort;
            }
            case OPAQUE -> checkNoNul(text, target, syntax);
            default -> throw new AssertionError(syntax);
        }
        return new ParsedAddress(text, scheme, name, host, port, key, query);
    }

    private static Map<String, String> parseQuery(String text, String query) throws InvalidAddressException {
        Map<String, String> map = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return Map.of();
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!key.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
                throw new InvalidAddressException(text, pair, "bad query key '" + key + "' in address '" + text
                        + "'; keys are letters, digits, '_', '.' or '-', starting with a letter, separated by '&'");
            }
            if (value.indexOf('\0') >= 0) {
                throw new InvalidAddressException(text, key, "value of '" + key + "' in address '" + text
                        + "' contains NUL; NUL is never accepted");
            }
            if (map.put(key, value) != null) {
                throw new InvalidAddressException(text, key,
                        "query key '" + key + "' appears twice in address '" + text + "'; give each key once");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static void checkName(String text, String name, int max, AddressSyntax syntax)
            throws InvalidAddressException {
        if (!name.startsWith("/")) {
            throw bad(text, name, "name '" + name + "' must start with '/'", syntax);
        }
        String component = name.substring(1);
        checkNoNul(text, name, syntax);
        if (component.isEmpty()) {
            throw bad(text, name, "the name is empty", syntax);
        }
        int slash = component.indexOf('/');
        if (slash >= 0) {
            throw bad(text, name, "name '" + name + "' has a second '/' at index " + (slash + 1)
                    + "; it must be a single component", syntax);
        }
        if (component.equals(".") || component.equals("..")) {
            throw bad(text, name, "name '" + name + "' is '.' or '..'", syntax);
        }
        int bytes = utf8Length(component);
        if (bytes > max) {
            throw bad(text, name, "name is " + bytes + " bytes long, over the limit of " + max, syntax);
        }
    }

    private static void checkPath(String text, String path, int max, AddressSyntax syntax)
            throws InvalidAddressException {
        if (path.isEmpty()) {
            throw bad(text, path, "the path is empty", syntax);
        }
        if (!path.startsWith("/")) {
            throw bad(text, path, "path '" + path + "' is not absolute", syntax);
        }
        checkNoNul(text, path, syntax);
        int bytes = utf8Length(path);
        if (bytes > max) {
            throw bad(text, path, "path is " + bytes + " bytes long, over the limit of " + max, syntax);
        }
    }

    private static void checkNoNul(String text, String part, AddressSyntax syntax) throws InvalidAddressException {
        if (part.indexOf('\0') >= 0) {
            throw bad(text, part.replace("\0", "\\0"), "it contains NUL at index " + part.indexOf('\0'), syntax);
        }
    }

    private static Integer parseKey(String text, String target, AddressSyntax syntax) throws InvalidAddressException {
        if (target.isEmpty()) {
            throw bad(text, target, "the key is empty", syntax);
        }
        long value;
        try {
            value = target.startsWith("0x") || target.startsWith("0X")
                    ? Long.parseLong(target.substring(2), 16) : Long.parseLong(target);
        } catch (NumberFormatException e) {
            throw bad(text, target, "'" + target + "' is neither a number nor an absolute path", syntax);
        }
        if (value == 0 || value < Integer.MIN_VALUE || value > 0xFFFF_FFFFL) {
            throw bad(text, target, "key " + target + " is 0 (IPC_PRIVATE) or does not fit 32 bits", syntax);
        }
        return (int) value;
    }

    private static int parsePort(String text, String port, AddressSyntax syntax) throws InvalidAddressException {
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw bad(text, port, "bad port '" + port + "'", syntax);
        }
        return Integer.parseInt(port);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static InvalidAddressException bad(String text, String part, String what, AddressSyntax syntax) {
        return new InvalidAddressException(text, part,
                "bad address '" + text.replace("\0", "\\0") + "': " + what + "; accepted: " + syntax.accepted());
    }
}
