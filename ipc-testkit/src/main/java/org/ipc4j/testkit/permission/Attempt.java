package org.ipc4j.testkit.permission;

import java.util.List;
import java.util.Objects;

/**
 * One thing the other user tries on an object, run by {@link PermissionProbePeer}: what it is for the
 * report ({@code "open to send"}, {@code "unlink"}), the probe's operation and its argument, and the
 * simple name of the exception a refusal must be.
 *
 * <p>Operations: {@code queue-send}, {@code queue-receive}, {@code semaphore-acquire},
 * {@code semaphore-release}, {@code region-read}, {@code region-write}, {@code connect-send},
 * {@code connect-send-await-reply},
 * {@code connect-receive} (each opens the address through {@code Ipc} and, if that works, uses it),
 * {@code delete} (a file, with {@code Files.delete}), and {@code invoke} (a public static method
 * {@code class#method} taking one string: a backend's own way to remove an object by name).
 *
 * @param what the attempt in words, for failure messages
 * @param operation the probe's operation
 * @param argument its address, path or {@code class#method arg}
 * @param refusal the simple class name of the exception the attempt must end with when refused
 *     ({@code A|B} for either)
 */
public record Attempt(String what, String operation, String argument, String refusal) {
    static final List<String> OPERATIONS = List.of("queue-send", "queue-receive", "semaphore-acquire",
            "semaphore-release", "region-read", "region-write", "connect-send", "connect-send-await-reply",
            "connect-receive", "delete",
            "invoke", "listen-echo", "raw-connect");

    /** Checks the operation is one the probe knows. */
    public Attempt {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(argument, "argument");
        Objects.requireNonNull(refusal, "refusal");
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("unknown probe operation: operation=" + operation + "; known: " + OPERATIONS);
        }
    }

    /** An attempt refused with {@code PermissionDeniedException}, the library's answer to EACCES and EPERM. */
    public static Attempt denied(String what, String operation, String argument) {
        return new Attempt(what, operation, argument, "PermissionDeniedException");
    }

    /**
     * Removing a file with {@code Files.delete}: refused with the JDK's {@code AccessDeniedException}
     * (EACCES: a directory the user may not write) or a {@code FileSystemException} (EPERM: a sticky
     * directory such as {@code /dev/shm} or {@code /tmp}, where only the owner may remove a file).
     */
    public static Attempt deleteFile(java.nio.file.Path file) {
        return new Attempt("unlink " + file, "delete", file.toString(), "AccessDeniedException|FileSystemException");
    }

    /** True if {@code simpleName} is the refusal this attempt expects (one of them, where several are allowed). */
    public boolean refusedWith(String simpleName) {
        return List.of(refusal.split("\\|")).contains(simpleName);
    }

    /**
     * A backend's own removal by name: {@code method} is {@code fully.qualified.Class#method}, a public
     * static method taking {@code argument} as one string that throws the library's typed exception;
     * refused with {@code PermissionDeniedException}.
     */
    public static Attempt unlinkBy(String method, String argument) {
        return denied("unlink with " + method.substring(method.lastIndexOf('.') + 1) + "(" + argument + ")",
                "invoke", method + " " + argument);
    }
}
