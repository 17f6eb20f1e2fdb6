package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on {@code kit-unix-deaf:}, a cross-process backend that never reports end of
 * stream, so it does not notice a peer JVM killed with SIGKILL. Run by {@link BrokenChannelBackendsTest}.
 */
public class DeafChannelCertification extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening("kit-unix-deaf:/tmp/ipc4j-testkit/" + uniqueName + ".sock");
    }
}
