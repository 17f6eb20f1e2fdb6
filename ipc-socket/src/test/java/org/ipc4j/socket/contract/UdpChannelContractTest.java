package org.ipc4j.socket.contract;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The channel contract for UDP: each end binds a port and sends to the other's. */
class UdpChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String name) throws IOException {
        int a = Dirs.freeUdpPort();
        int b = Dirs.freeUdpPort();
        return ChannelFixture.symmetric("udp://127.0.0.1:" + b + "?bind=127.0.0.1:" + a,
                "udp://127.0.0.1:" + a + "?bind=127.0.0.1:" + b);
    }

    @Override
    protected int bulkMessages() {
        return Dirs.BULK;
    }
}
