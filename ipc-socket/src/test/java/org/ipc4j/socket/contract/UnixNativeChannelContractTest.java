package org.ipc4j.socket.contract;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/** The channel contract for Unix stream sockets at a path with descriptor I/O (impl=native, the default for paths). */
class UnixNativeChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture newFixture(String name) throws IOException {
        return ChannelFixture.listening("unix:" + Dirs.dir() + "/" + name + "?impl=native");
    }

    @Override
    protected int bulkMessages() {
        return Dirs.BULK;
    }
}
