package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.Test;

/**
 * A JVM started with no flags at all (no {@code --add-opens}, no logger settings) opens a region
 * and logs no ERROR or WARN line (the JDK's own notice on 24+ about {@code sun.misc.Unsafe} aside): Chronicle's "may require command line arguments" complaint, which its
 * {@code NativeBytesStore} logs at load on Java 9+, is silenced for slf4j-simple, as ipc4j needs
 * none of what those arguments would open.
 */
class ChronicleLogTest {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void aJvmWithNoFlagsOpensARegionWithoutAnErrorLine() throws Exception {
        String name = Names.unique("chronlog");
        try (PeerJvm peer = PeerJvm.builder(RegionAdderPeer.class).args("shm:/" + name + "?create&size=4KiB", "1").start()) {
            peer.awaitReady(T);
            peer.sendLine("go");
            peer.awaitLineStartingWith("DONE", T);
            assertEquals(0, peer.awaitExit(T));
            // on JDK 24+ the JDK itself warns that Chronicle calls sun.misc.Unsafe's memory methods (JEP 498):
            // a line from the runtime, not a logger, that only a flag silences (see the README)
            List<String> errors = peer.output().stream()
                    .filter(line -> line.contains("ERROR") || line.contains("WARN") && !jdkUnsafeNotice(line))
                    .collect(Collectors.toList());
            assertTrue(errors.isEmpty(), "no ERROR or WARN line expected from a plain JVM opening a region: " + errors);
        } finally {
            Names.delete(name);
        }
    }

    /** A line of the JDK's four-line notice that a library called sun.misc.Unsafe's memory methods. */
    private static boolean jdkUnsafeNotice(String line) {
        return line.startsWith("WARNING: ") && line.contains("Unsafe");
    }
}
