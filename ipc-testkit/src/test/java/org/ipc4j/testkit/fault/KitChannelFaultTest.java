package org.ipc4j.testkit.fault;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelFaultContract} on the kit's own cross-process backend {@code kit-unix:}, so that the
 * kit's build runs every fault case without a native backend (the full-tmpfs case is skipped: the
 * kit's backend is not a product).
 */
class KitChannelFaultTest extends ChannelFaultContract {
    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening("kit-unix:/tmp/ipc4j-testkit/" + uniqueName + ".sock");
    }
}
