package org.ipc4j.socket.contract;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The channel contract for Unix stream sockets at a path through junixsocket. */
class UnixChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String name) throws IOException {
        return ChannelFixture.listening("unix:" + Dirs.dir() + "/" + name + "?impl=junixsocket");
    }

    @Override
    protected int bulkMessages() {
        return Dirs.BULK;
    }
}
