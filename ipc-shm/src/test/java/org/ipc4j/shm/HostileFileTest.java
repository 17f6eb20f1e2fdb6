package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared-memory header and record readers against random bytes: a peer JVM damages region,
 * queue and channel files at random (seeded, bounded) and then opens and uses them. Whatever the
 * bytes, every call ends within its timeout, normally or with an {@code IpcException} that has a
 * message, the JVM does not crash, and a small heap ({@code -Xmx64m}) shows no allocation sized
 * from a damaged field. {@code -Dipc.hostile.seed} and {@code -Dipc.hostile.rounds} repeat or
 * extend a run.
 */
class HostileFileTest {
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @Test
    @Timeout(240)
    void damagedFilesGiveIpcExceptionsNeverACrashOrAHang() throws Exception {
        long seed = Long.getLong("ipc.hostile.seed", System.nanoTime());
        int rounds = Integer.getInteger("ipc.hostile.rounds", 300);
        try (PeerJvm peer = PeerJvm.builder(HostileFilePeer.class)
                .jvmFlags("-Xmx64m", "-Dorg.slf4j.simpleLogger.log.net.openhft=off")
                .args(String.valueOf(seed), String.valueOf(rounds)).start()) {
            peer.awaitReady(Duration.ofSeconds(30));
            String last = peer.awaitLine(l -> l.startsWith("DONE") || l.startsWith("HANG"), DEADLINE);
            assertTrue(last.startsWith("DONE"), "an operation on a damaged file hung: " + last + "\nseed=" + seed);
            int exit = peer.awaitExit(Duration.ofSeconds(30));
            List<String> lines = peer.output();
            String context = "seed=" + seed + " (rerun with -Dipc.hostile.seed=" + seed + "):\n"
                    + String.join("\n", lines);
            assertEquals(0, exit, "the peer died: " + context);
            List<String> bad = lines.stream().filter(l -> l.startsWith("UNEXPECTED") || l.startsWith("HANG"))
                    .collect(Collectors.toList());
            assertTrue(bad.isEmpty(), "damaged files led to " + bad + "; " + context);
            String done = lines.stream().filter(l -> l.startsWith("DONE")).findFirst().orElse("");
            // the run must have both refused damage and used files that still worked, or it tested little
            assertTrue(done.contains("IpcProtocolException"), "no damage was detected: " + context);
            assertTrue(done.contains("open queue ok") && done.contains("connect channel ok")
                    && done.contains("open region ok"), "no damaged file was usable: " + context);
        }
    }
}
