package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on a correct one-way channel whose local end receives. Run by
 * {@link BrokenChannelBackendsTest}, which checks that it passes and skips what needs the local end to send.
 */
public class OneWayInChannelCertification extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening(ChannelFault.ONE_WAY_IN.scheme + ":/" + uniqueName);
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
