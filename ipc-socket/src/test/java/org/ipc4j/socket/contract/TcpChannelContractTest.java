package org.ipc4j.socket.contract;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The channel contract for TCP over IPv4 loopback. */
class TcpChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String name) throws IOException {
        return ChannelFixture.listening("tcp://127.0.0.1:0");
    }

    @Override
    protected int bulkMessages() {
        return Dirs.BULK;
    }
}
