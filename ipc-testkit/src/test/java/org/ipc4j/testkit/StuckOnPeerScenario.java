package org.ipc4j.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests that misbehave with their peers, run by {@link PeerReaperTest} through the JUnit Platform Test
 * Kit (never by surefire directly): one is stuck past its timeout in a wait that ignores interrupts,
 * one forgets to close its peer.
 */
@ExtendWith(PeerReaper.class)
class StuckOnPeerScenario {
    /** The pid of the peer the stuck test started. */
    static final AtomicLong STUCK_PEER = new AtomicLong();
    /** The pid of the peer the forgetful test started. */
    static final AtomicLong FORGOTTEN_PEER = new AtomicLong();

    @Test
    @Timeout(value = 3, unit = TimeUnit.SECONDS)
    void stuckPastItsTimeoutInAnUninterruptibleWait() throws Exception {
        PeerJvm peer = PeerJvm.builder(PeerJvmTest.Idle.class).name("stuck").start();
        STUCK_PEER.set(peer.pid());
        // CompletableFuture.join ignores the interrupt JUnit sends at the timeout, like a native
        // receive would: only the peer's death ends it
        peer.process().onExit().join();
    }

    @Test
    void forgetsToCloseItsPeer() throws Exception {
        PeerJvm peer = PeerJvm.builder(PeerJvmTest.Idle.class).name("forgotten").start();
        FORGOTTEN_PEER.set(peer.pid());
        peer.awaitReady(Duration.ofSeconds(30));
    }
}
