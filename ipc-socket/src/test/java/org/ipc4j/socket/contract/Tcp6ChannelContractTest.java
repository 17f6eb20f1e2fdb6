package org.ipc4j.socket.contract;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The channel contract for TCP over IPv6 loopback. */
class Tcp6ChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String name) throws IOException {
        return ChannelFixture.listening("tcp://[::1]:0");
    }

    @Override
    protected int bulkMessages() {
        return Dirs.BULK;
    }
}
