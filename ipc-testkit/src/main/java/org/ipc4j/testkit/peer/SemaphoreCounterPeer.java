package org.ipc4j.testkit.peer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.Semaphore;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the semaphore {@code args[0]} (one permit), prints {@code READY}, waits for the line
 * {@code GO}, then {@code args[2]} times runs {@link #increment(Semaphore, Path)} on the directory
 * {@code args[1]}, and prints {@code COUNTED <n>}. An overlap with another holder ends it with an
 * exception (exit 1).
 */
public final class SemaphoreCounterPeer {
    /** The counter file in the directory: a decimal number. */
    public static final String COUNTER = "counter";
    /** The file that exists while a holder is inside the critical section. */
    public static final String INSIDE = "inside";

    private SemaphoreCounterPeer() {
    }

    /** @param args semaphore address, directory holding the counter file, iterations */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int iterations = Integer.parseInt(args[2]);
        try (Semaphore semaphore = Ipc.openSemaphore(args[0])) {
            PeerMain.ready();
            String go = PeerMain.nextLine(Duration.ofSeconds(120));
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO from the parent, got: " + go);
            }
            for (int i = 0; i < iterations; i++) {
                increment(semaphore, dir);
            }
            PeerMain.say("COUNTED " + iterations);
        }
    }

    /**
     * Under the semaphore: creates the marker file {@link #INSIDE} (which fails if another holder is
     * inside), reads the counter file, writes it back plus one, deletes the marker. Without mutual
     * exclusion, updates are lost or the marker collides.
     *
     * @throws IllegalStateException if another holder was inside at the same time
     */
    public static void increment(Semaphore semaphore, Path dir) throws IOException {
        semaphore.acquire();
        try {
            Path inside = dir.resolve(INSIDE);
            try {
                Files.createFile(inside);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException("two holders inside the critical section of '" + semaphore.address()
                        + "' at once: " + inside + " exists", e);
            }
            Path counter = dir.resolve(COUNTER);
            String text = Files.readString(counter).trim();
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("counter file half written by another holder: '" + text + "'", e);
            }
            Thread.yield(); // widen the window a lost update needs
            Files.writeString(counter, Long.toString(value + 1));
            Files.delete(inside);
        } finally {
            semaphore.release();
        }
    }
}
