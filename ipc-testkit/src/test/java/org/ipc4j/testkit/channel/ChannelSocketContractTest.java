package org.ipc4j.testkit.channel;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on the kit's own cross-process backend {@code kit-unix:}, so that the kit's
 * build runs every peer JVM case (SIGKILL included) without a native backend.
 */
class ChannelSocketContractTest extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening("kit-unix:/tmp/ipc4j-testkit/" + uniqueName + ".sock");
    }
}
