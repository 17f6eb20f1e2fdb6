package org.ipc4j.testkit.fault;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The fault suite fails a backend that does not notice a killed peer. */
class BrokenFaultBackendsTest {

    @Test
    void faultSuiteFailsWhenAKilledPeerGoesUnnoticed() {
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(DeafChannelFaultCertification.class, "peerKilledAfterConnectBeforeFirstMessage"))
                .execute().testEvents();
        Set<String> failed = events.failed().stream()
                .map(e -> e.getTestDescriptor().getDisplayName().replace("()", ""))
                .collect(Collectors.toSet());
        System.out.println("[broken] DeafChannelFaultCertification: failed " + failed);
        assertEquals(Set.of("peerKilledAfterConnectBeforeFirstMessage"), failed);
    }
}
