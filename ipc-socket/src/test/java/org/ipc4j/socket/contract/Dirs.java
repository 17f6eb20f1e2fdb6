package org.ipc4j.socket.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared bits of the contract tests. */
final class Dirs {
    /** Messages each way in the bulk cases: fewer than the kit's 100,000 to keep this module's run short. */
    static final int BULK = 20_000;
    private static Path dir;

    private Dirs() {
    }

    /** A short directory for socket files, made on first use. */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory(Path.of("/tmp"), "ipcc");
                Path made = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** A UDP port free right now. */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
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
