package org.ipc4j.internal;

import java.util.Map;

/**
 * What may follow {@code scheme:} in an address, per scheme. One table for every scheme the
 * project knows, so libc's disagreements about names (see FINDINGS) are settled once, in Java,
 * before any system call. Schemes not in the table (third-party providers) are {@link #OPAQUE}.
 */
public enum AddressSyntax {
    /** Nothing before the query: {@code pipe:?read=3&write=4}. */
    NONE("nothing before the query, such as pipe:?read=3&write=4"),
    /** An absolute path: {@code fifo:/run/app/in}. */
    PATH("an absolute path such as /run/app/in"),
    /** An absolute path of at most 107 bytes, or {@code @name} in the abstract namespace. */
    UNIX_PATH("an absolute path of at most 107 bytes, or @name for the Linux abstract namespace"),
    /** One component after a leading slash, at most 255 bytes: {@code mq:/jobs}. */
    NAME("/name: one leading '/', then 1 to 255 bytes with no '/' or NUL"),
    /** As {@link #NAME}, at most 251 bytes ({@code sem_open} prefixes "sem."). */
    SEM_NAME("/name: one leading '/', then 1 to 251 bytes with no '/' or NUL"),
    /** A SysV key (decimal or 0x hex, not 0) or an absolute path for {@code ftok}. */
    KEY_OR_PATH("a non-zero int key in decimal or 0x hex, or an absolute path of an existing file for ftok"),
    /** {@code //host:port}; an IPv6 host in brackets. */
    HOST_PORT("//host:port with port 0 to 65535, an IPv6 host in brackets such as //[::1]:7000"),
    /** Anything; the provider validates it. */
    OPAQUE("anything the provider accepts");

    /** Longest Unix socket path in bytes: sun_path is 108 bytes including the terminating NUL. */
    public static final int UNIX_PATH_MAX = 107;
    /** Longest name component for shm_open and mq_open. */
    public static final int NAME_MAX = 255;
    /** Longest name for sem_open, which adds the prefix "sem.". */
    public static final int SEM_NAME_MAX = 251;
    /** Longest absolute path. */
    public static final int PATH_MAX = 4095;

    private static final Map<String, AddressSyntax> BY_SCHEME = Map.ofEntries(
            Map.entry("pipe", NONE),
            Map.entry("fifo", PATH),
            Map.entry("mq", NAME),
            Map.entry("sysvmq", KEY_OR_PATH),
            Map.entry("shm", NAME),
            Map.entry("sem", SEM_NAME),
            Map.entry("sysvsem", KEY_OR_PATH),
            Map.entry("tcp", HOST_PORT),
            Map.entry("udp", HOST_PORT),
            Map.entry("unix", UNIX_PATH),
            Map.entry("unixgram", UNIX_PATH),
            Map.entry("inproc", NAME));

    private final String accepted;

    AddressSyntax(String accepted) {
        this.accepted = accepted;
    }

    /** What this syntax accepts, for error messages. */
    public String accepted() {
        return accepted;
    }

    /** The syntax of {@code scheme}, {@link #OPAQUE} for schemes the project does not define. */
    public static AddressSyntax of(String scheme) {
        return BY_SCHEME.getOrDefault(scheme, OPAQUE);
    }
}
