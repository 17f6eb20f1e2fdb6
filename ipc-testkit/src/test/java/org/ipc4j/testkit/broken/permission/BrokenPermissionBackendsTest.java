package org.ipc4j.testkit.broken.permission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ipc4j.testkit.permission.OtherUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The proof that {@link org.ipc4j.testkit.permission.PermissionContract} catches a careless backend:
 * on {@code kit-region:} ({@link MappedRegionPermissionCertification}) every case but the default
 * mode fails, each for the fault it checks.
 */
@Timeout(300)
class BrokenPermissionBackendsTest {

    @Test
    void suiteFailsEveryCaseACarelessRegionBreaks() {
        OtherUser.assumeAvailable();
        Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MappedRegionPermissionCertification.class))
                .execute().testEvents();
        events.failed().stream().forEach(e -> System.out.println("[broken] failed " + caseOf(e) + ": "
                + e.getPayload().map(Object::toString).orElse("")));
        assertEquals(new TreeSet<>(Set.of("otherUserCannotOpenUseOrUnlink", "modeWidensWhenAsked",
                "plantedSymlinkIsRefusedAndTargetUntouched", "plantedHardLinkIsRefusedAndTargetUntouched",
                "exclusiveCreateIsAtomic")), cases(events.failed()), "cases failed on kit-region:");
        assertEquals(Set.of("defaultModeIs0600"), cases(events.succeeded()), "cases passed on kit-region:");
    }

    private static Set<String> cases(Events events) {
        return events.stream().map(BrokenPermissionBackendsTest::caseOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The contract case (the test factory) a dynamic test belongs to. */
    private static String caseOf(Event e) {
        TestDescriptor d = e.getTestDescriptor();
        String name = d.getParent().filter(p -> !p.isRoot() && p.getSource().map(s -> s.toString().contains("MethodSource"))
                .orElse(false)).map(TestDescriptor::getDisplayName).orElse(d.getDisplayName());
        return name.replace("()", "");
    }
}
