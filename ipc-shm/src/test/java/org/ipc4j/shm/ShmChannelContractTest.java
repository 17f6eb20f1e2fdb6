package org.ipc4j.shm;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The test kit's channel contract against {@code shm:} channels. */
class ShmChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening("shm:/ipc4j-c-" + uniqueName);
    }
}
