package org.ipc4j.socket.contract;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The channel contract for Unix datagram sockets: each end binds a path and sends to the other's. */
class UnixgramChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String name) throws IOException {
        String a = Dirs.dir() + "/" + name + "a";
        String b = Dirs.dir() + "/" + name + "b";
        return ChannelFixture.symmetric("unixgram:" + b + "?bind=" + a, "unixgram:" + a + "?bind=" + b);
    }

    @Override
    protected int bulkMessages() {
        return Dirs.BULK;
    }
}
