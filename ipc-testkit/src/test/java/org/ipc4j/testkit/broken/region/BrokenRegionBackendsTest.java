package org.ipc4j.testkit.broken.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The proof that {@link org.ipc4j.testkit.contract.SharedRegionContract} catches broken backends: it
 * passes on the fault-free wrapper and fails, in the cases that check the broken behaviour, on each
 * broken one.
 */
@Timeout(300)
class BrokenRegionBackendsTest {

    @Test
    void contractPassesOnTheWrapperWithoutFault() {
        Events events = run(IntactRegionCertification.class);
        assertEquals(Set.of(), names(events.failed()), "failures on the fault-free wrapper");
        assertTrue(events.succeeded().count() >= 12, "cases passed: " + names(events.succeeded()));
    }

    @Test
    void contractFailsOnANonAtomicGetAndAdd() {
        assertFailsIn(NonAtomicAddRegionCertification.class, "twoThreadsEachAddingAMillionEndAtExactlyTwoMillion");
    }

    @Test
    void contractFailsOnANonAtomicGetAndAddAcrossJvms() {
        assertFailsIn(NonAtomicAcrossJvmsRegionCertification.class, "thisJvmAndAPeerEachAddingAMillionEndAtExactlyTwoMillion",
                "twoThreadsEachAddingAMillionEndAtExactlyTwoMillion");
    }

    @Test
    void contractFailsOnABoundsCheckOffByOne() {
        assertFailsIn(OffByOneRegionCertification.class, "everyAccessorChecksBoundsNamingOffsetLengthAndSize",
                "bulkReadAndWriteCheckBoundsAtTheEdgesAndWriteNothingWhenRefused");
    }

    private static void assertFailsIn(Class<?> certification, String... cases) {
        Events events = run(certification);
        Set<String> failed = names(events.failed());
        for (String c : cases) {
            assertTrue(failed.contains(c), certification.getSimpleName() + " must fail " + c + "; failed: " + failed
                    + "; passed: " + names(events.succeeded()));
        }
    }

    private static Events run(Class<?> certification) {
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(certification)).execute().testEvents();
        events.failed().stream().forEach(e -> System.out.println("[broken] " + certification.getSimpleName() + " failed "
                + e.getTestDescriptor().getDisplayName() + ": " + e.getPayload().map(Object::toString).orElse("")));
        return events;
    }

    private static Set<String> names(Events events) {
        return events.stream().map(e -> e.getTestDescriptor().getDisplayName().replace("()", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
