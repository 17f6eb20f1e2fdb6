package org.ipc4j.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Short, unique socket paths and names for tests (a Unix socket path has at most 107 bytes). */
final class TestPaths {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Path dir;

    private TestPaths() {
    }

    /** A directory for this test JVM under /tmp, made on first use. */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory(Path.of("/tmp"), "ipcs");
                Path made = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** A fresh path in {@link #dir()}. */
    static Path path(String prefix) {
        return dir().resolve(prefix + COUNTER.incrementAndGet());
    }

    /** Fills {@code %s} with a fresh directory and {@code %d} with a unique number. */
    static String fill(String template) throws IOException {
        int n = COUNTER.incrementAndGet();
        String s = template.replace("%d", ProcessHandle.current().pid() + "-" + n);
        if (s.contains("%s")) {
            Path d = Files.createDirectories(dir().resolve("d" + n));
            s = s.replace("%s", d.toString());
        }
        return s;
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // still in use or gone: leave it
                }
            });
        } catch (IOException e) {
            // nothing to delete
        }
    }
}
