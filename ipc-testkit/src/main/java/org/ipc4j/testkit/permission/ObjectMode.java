package org.ipc4j.testkit.permission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the system keeps an object's permission bits, read from outside the library: the file's
 * mode (not following a link), a SysV object's line in {@code /proc/sysvipc}, or a POSIX queue's
 * inode in the mqueue filesystem.
 */
public final class ObjectMode {
    private ObjectMode() {
    }

    /** The permission bits (mode &amp; 07777) of the file itself, never of a link's target. */
    public static int ofFile(Path file) throws IOException {
        return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    /** The mode of the SysV message queue with this key, from {@code /proc/sysvipc/msg}. */
    public static int ofSysvQueue(int key) throws IOException {
        return ofSysv(Path.of("/proc/sysvipc/msg"), key);
    }

    /** The mode of the SysV semaphore set with this key, from {@code /proc/sysvipc/sem}. */
    public static int ofSysvSemaphore(int key) throws IOException {
        return ofSysv(Path.of("/proc/sysvipc/sem"), key);
    }

    /** True while a SysV object with this key is listed in {@code file} ({@code /proc/sysvipc/msg} or {@code sem}). */
    public static boolean sysvExists(Path file, int key) throws IOException {
        return sysvLine(file, key) != null;
    }

    private static int ofSysv(Path file, int key) throws IOException {
        String[] line = sysvLine(file, key);
        if (line == null) {
            throw new IOException("no object with key " + key + " in " + file);
        }
        // columns: key msqid|semid perms ...; perms is octal
        return Integer.parseInt(line[2], 8) & 07777;
    }

    private static String[] sysvLine(Path file, int key) throws IOException {
        // readAllLines: procfs reports size 0 and readString stops after one byte
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (String l : lines.subList(1, lines.size())) {
            String[] cols = l.trim().split("\\s+");
            if (Integer.parseInt(cols[0]) == key) {
                return cols;
            }
        }
        return null;
    }

    /**
     * The mode of the POSIX message queue {@code /name}. {@code /dev/mqueue} is not mounted on every
     * machine, so the mqueue filesystem is mounted in a private mount namespace of a child
     * ({@code unshare -m}, root only) that prints the mode with {@code stat}.
     */
    public static int ofPosixQueue(String name) throws IOException {
        Path dir = Files.createTempDirectory("ipc4j-mqueue-");
        try {
            Process p = new ProcessBuilder("unshare", "-m", "sh", "-c",
                    "mount -t mqueue ipc4j-mqueue \"$0\" && exec stat -c %a \"$0/$1\"",
                    dir.toString(), name.startsWith("/") ? name.substring(1) : name)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("cannot read the mode of mq " + name + " through a private mqueue mount: " + out);
            }
            return Integer.parseInt(out, 8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted reading the mode of mq " + name);
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
