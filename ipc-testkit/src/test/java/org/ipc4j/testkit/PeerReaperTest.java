package org.ipc4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** {@link PeerReaper}: a peer never outlives the test that started it, even one stuck past its timeout. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PeerReaperTest {

    @Test
    void aTestStuckPastItsTimeoutHasItsPeerKilledAtTheTimeoutAndFailsWithTimeout() {
        long start = System.nanoTime();
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(StuckOnPeerScenario.class, "stuckPastItsTimeoutInAnUninterruptibleWait"))
                .execute().testEvents();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertEquals(1, events.failed().count(), "the stuck test must fail");
        Throwable failure = events.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertTrue(failure instanceof TimeoutException, "failure: " + failure);
        long pid = StuckOnPeerScenario.STUCK_PEER.get();
        assertTrue(pid > 0, "the scenario started no peer");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "peer " + pid + " still alive");
        // the wait could only end because the peer was killed a second after the 3 s timeout
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void aPeerLeftOpenByATestIsKilledWhenTheTestEnds() {
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(StuckOnPeerScenario.class, "forgetsToCloseItsPeer"))
                .execute().testEvents();

        assertEquals(1, events.succeeded().count(), "failures: " + events.failed().list());
        long pid = StuckOnPeerScenario.FORGOTTEN_PEER.get();
        assertTrue(pid > 0, "the scenario started no peer");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "peer " + pid + " still alive");
    }

    @Test
    void readsJUnitsTimeoutSyntax() {
        assertEquals(Optional.of(TimeUnit.SECONDS.toNanos(30)), PeerReaper.parse("30 s"));
        assertEquals(Optional.of(TimeUnit.MILLISECONDS.toNanos(500)), PeerReaper.parse("500ms"));
        assertEquals(Optional.of(TimeUnit.MINUTES.toNanos(2)), PeerReaper.parse("2 m"));
        assertEquals(Optional.of(TimeUnit.SECONDS.toNanos(7)), PeerReaper.parse("7"));
        assertEquals(Optional.empty(), PeerReaper.parse("soon"));
    }
}
