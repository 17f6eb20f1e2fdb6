package org.ipc4j.posix.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** System limits read from {@code /proc} and {@code sysconf}. */
public final class Limits {
    /** Where the kernel keeps the most messages a POSIX queue may hold. */
    public static final Path MQ_MSG_MAX = Path.of("/proc/sys/fs/mqueue/msg_max");
    /** Where the kernel keeps the largest message a POSIX queue may carry. */
    public static final Path MQ_MSGSIZE_MAX = Path.of("/proc/sys/fs/mqueue/msgsize_max");
    /** Largest SysV message. */
    public static final Path MSGMAX = Path.of("/proc/sys/kernel/msgmax");
    /** Most bytes in one SysV queue. */
    public static final Path MSGMNB = Path.of("/proc/sys/kernel/msgmnb");

    private Limits() {
    }

    /**
     * The number in a procfs file, or {@code fallback} if it cannot be read. Uses
     * {@link Files#readAllLines}: {@code Files.readString} reads only the first byte of procfs files
     * on Java 17 and 25 (they report size 0).
     */
    public static long read(Path file, long fallback) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? fallback : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }

    /** {@code sysconf(_SC_MQ_PRIO_MAX)}: priorities run from 0 to this minus one. */
    public static int mqPriorityMax() {
        long v = LibC.sysconf(LibC.SC_MQ_PRIO_MAX);
        return v <= 0 ? 32768 : (int) Math.min(v, Integer.MAX_VALUE);
    }
}
