package org.ipc4j.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Unique shm names per test run, and cleanup. */
final class Names {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Names() {
    }

    /** A fresh name such as {@code ipc4j-t-1234-7-region}. */
    static String unique(String what) {
        return "ipc4j-t-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + what;
    }

    static Path path(String name) {
        return Path.of("/dev/shm", name);
    }

    static void delete(String name) {
        try {
            Files.deleteIfExists(path(name));
        } catch (IOException e) {
            // best effort
        }
    }
}
