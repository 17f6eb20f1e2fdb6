package org.ipc4j.posix.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The calls on the message path through a small JNI library of this module's own
 * ({@code src/main/c/hotcalls.c}, built with gcc into the jar for the build machine's architecture).
 * A JNI call of a static method with primitive arguments costs a fraction of a JNA direct call
 * (which converts every argument through libffi); {@link HotCalls} uses it where the JDK's foreign
 * calls are not taken (before JDK 24; on 22 and 23 unless native access is enabled). Each method returns the call's result, or minus
 * {@code errno} when the call failed, read in the calling thread right after the call.
 *
 * <p>The library is copied from the jar to a private temporary file (mode 0600), loaded, and the
 * file deleted at once. Where that cannot be done (another architecture, a temporary directory
 * mounted {@code noexec}, an older glibc), {@link #load()} says why and the calls go through JNA.
 */
final class JniCalls {
    /** The resource the build puts the library at, for this JVM's architecture. */
    static final String RESOURCE = "native/linux-" + System.getProperty("os.arch", "unknown").toLowerCase(Locale.ROOT)
            + "/libipc4jposix.so";

    private JniCalls() {
    }

    /**
     * Loads the library.
     *
     * @return null if loaded, else why not
     */
    static String load() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return "not Linux";
        }
        try (InputStream in = JniCalls.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "no " + RESOURCE + " in the jar (built for another architecture)";
            }
            Path file = Files.createTempFile("ipc4j-posix-", ".so");   // 0600, a fresh name
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
            } finally {
                Files.deleteIfExists(file);   // the mapping stays
            }
            return null;
        } catch (IOException | LinkageError | SecurityException e) {
            return e.toString();
        }
    }

    static native long read(int fd, long buffer, long count);

    static native long write(int fd, long buffer, long count);

    static native int poll(long fds, long count, int timeoutMillis);

    static native int mqTimedSend(int mqd, long message, long length, int priority, long absTimeout);

    static native long mqTimedReceive(int mqd, long message, long length, long priority, long absTimeout);
}
