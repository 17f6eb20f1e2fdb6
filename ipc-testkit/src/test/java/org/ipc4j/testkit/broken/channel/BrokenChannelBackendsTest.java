package org.ipc4j.testkit.broken.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The proof that {@link org.ipc4j.testkit.contract.ChannelContract} catches broken backends: it passes
 * on the fault-free wrapper and fails, in the cases that check the broken behaviour, on each broken one.
 * Only those cases are run on a broken backend: others may wait out their step timeouts on it.
 */
@Timeout(120)
class BrokenChannelBackendsTest {

    @Test
    void contractPassesOnTheWrapperWithoutFault() {
        Events events = run(IntactChannelCertification.class);
        assertEquals(Set.of(), names(events.failed()), "failures on the fault-free wrapper: " + failures(events));
        assertTrue(events.succeeded().count() >= 10, "cases passed: " + names(events.succeeded()));
    }

    @Test
    void contractPassesOnAOneWayChannelAndSkipsWhatItCannotDo() {
        Events in = run(OneWayInChannelCertification.class);
        assertEquals(Set.of(), names(in.failed()), "failures on a one-way channel, local end receiving: " + failures(in));
        assertTrue(names(in.succeeded()).contains("bulkMessagesNothingLostOrDuplicatedInProcess"), "passed: " + names(in.succeeded()));
        assertSkipped(in, "tooLargeSendIsRefusedAndNothingSentInProcess", "its local end only receives");

        Events out = run(OneWayOutChannelCertification.class);
        assertEquals(Set.of(), names(out.failed()), "failures on a one-way channel, local end sending: " + failures(out));
        assertTrue(names(out.succeeded()).contains("tooLargeSendIsRefusedAndNothingSentInProcess"), "passed: " + names(out.succeeded()));
        assertSkipped(out, "timedReceiveReturnsOnTimeAndConsumesNothingInProcess", "its local end only sends");
    }

    @Test
    void contractSkipsWhatAChannelWithoutReliableOrOrderedCannotPromise() {
        Events events = run(UndeclaredChannelCertification.class);
        assertEquals(Set.of(), names(events.failed()), "failures: " + failures(events));
        assertSkipped(events, "bulkMessagesNothingLostOrDuplicatedInProcess", "does not declare RELIABLE");
        assertSkipped(events, "messagesKeepOrderAndBoundariesInProcess", "does not declare RELIABLE");
        assertSkipped(events, "endOfStreamAfterEveryMessageWhenPeerClosesInProcess", "does not declare RELIABLE");
        assertTrue(names(events.succeeded()).containsAll(Set.of("timedReceiveReturnsOnTimeAndConsumesNothingInProcess",
                "closeFromAnotherThreadWakesBlockedReceiveInProcess", "tooSmallBufferNamesBothSizesAndKeepsMessageInProcess")),
                "passed: " + names(events.succeeded()));
    }

    @Test
    void aPeerJvmThatCannotStartFailsTheCaseFastWithItsOutput() {
        long start = System.nanoTime();
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(PeerCannotStartChannelCertification.class, "useAfterCloseThrowsClosedChannelExceptionWithPeerJvm"))
                .execute().testEvents();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        List<String> failures = failures(events);
        assertEquals(1, failures.size(), "failures: " + failures);
        assertTrue(failures.get(0).contains("ended before the local end") && failures.get(0).contains("NoSuchOptionForTheKitsTest"),
                "the failure must say the peer ended and show its output: " + failures.get(0));
        assertTrue(seconds < 20, "the case took " + seconds + " s; it must not wait out the 30 s open timeout");
    }

    private static void assertSkipped(Events events, String name, String reason) {
        List<String> reasons = events.skipped().stream().filter(e -> name(e).equals(name))
                .map(e -> e.getPayload(String.class).orElse("")).collect(Collectors.toList());
        if (reasons.isEmpty()) {
            reasons = events.aborted().stream().filter(e -> name(e).equals(name))
                    .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                            .map(Throwable::getMessage).orElse(""))
                    .collect(Collectors.toList());
        }
        assertEquals(1, reasons.size(), name + " must be skipped; events: " + reasons);
        assertTrue(reasons.get(0).contains(reason), name + " skipped for the reason '" + reasons.get(0) + "'");
    }

    @Test
    void contractFailsOnADroppedMessage() {
        assertFailsIn(DroppingChannelCertification.class, "messagesKeepOrderAndBoundariesInProcess",
                "bulkMessagesNothingLostOrDuplicatedInProcess", "concurrentSendersNeverInterleaveInProcess");
    }

    @Test
    void contractFailsOnTwoReorderedMessages() {
        assertFailsIn(ReorderingChannelCertification.class, "messagesKeepOrderAndBoundariesInProcess",
                "bulkMessagesNothingLostOrDuplicatedInProcess", "emptyAndMaximumSizeMessagesArriveWholeInProcess");
    }

    @Test
    void contractFailsOnATimeoutThatNeverFires() {
        assertFailsIn(NoTimeoutChannelCertification.class, "timedReceiveReturnsOnTimeAndConsumesNothingInProcess",
                "timedSendOnAFullChannelReturnsOnTimeAndSendsNothingInProcess");
    }

    @Test
    void contractFailsOnATimeoutThatFiresLate() {
        assertFailsIn(LateTimeoutChannelCertification.class, "timedReceiveReturnsOnTimeAndConsumesNothingInProcess");
    }

    @Test
    void contractFailsWhenCloseDoesNotWakeABlockedReceive() {
        assertFailsIn(IgnoresCloseChannelCertification.class, "closeFromAnotherThreadWakesBlockedReceiveInProcess");
    }

    /** Runs the cases that check the broken behaviour (the others may hang for their full timeouts). */
    @Test
    void contractFailsWhenAKilledPeerGoesUnnoticed() {
        assertFailsIn(DeafChannelCertification.class, "peerKilledWithSigkillIsSeenWithinSecondsWithPeerJvm");
    }

    private static void assertFailsIn(Class<?> certification, String... cases) {
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(Arrays.stream(cases).map(c -> selectMethod(certification, c)).toArray(DiscoverySelector[]::new))
                .execute().testEvents();
        System.out.println("[broken] " + certification.getSimpleName() + ": failed " + failures(events));
        Set<String> failed = names(events.failed());
        for (String c : cases) {
            assertTrue(failed.contains(c), certification.getSimpleName() + " must fail " + c + "; failed: " + failed
                    + "; passed: " + names(events.succeeded()));
        }
    }

    private static Events run(Class<?> certification) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(certification)).execute().testEvents();
        System.out.println("[broken] " + certification.getSimpleName() + ": failed " + failures(events));
        return events;
    }

    private static Set<String> names(Events events) {
        return events.stream().map(BrokenChannelBackendsTest::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String name(Event e) {
        return e.getTestDescriptor().getDisplayName().replace("()", "");
    }

    private static List<String> failures(Events events) {
        return events.failed().stream().map(e -> name(e) + ": " + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("?"))
                .collect(Collectors.toList());
    }
}
