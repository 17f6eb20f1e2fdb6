package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on the {@link ChannelFault#LATE_TIMEOUT} backend. Not a surefire test by name: run by
 * {@link BrokenChannelBackendsTest}, which checks how it fares.
 */
public class LateTimeoutChannelCertification extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening(ChannelFault.LATE_TIMEOUT.scheme + ":/" + uniqueName);
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
