package org.ipc4j.testkit.inproc;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * The reference backend {@code inproc:} certified by {@link ChannelContract}; the worked example of
 * the kit's README. Its channels live in one JVM, so the peer JVM cases are skipped.
 */
class InprocChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        // a listener at a fresh name; the remote end connects to it, the local end is the accepted channel
        return ChannelFixture.listening("inproc:/" + uniqueName);
    }

    @Override
    protected boolean crossProcess() {
        // inproc: objects are threads' objects: they cannot reach another process
        return false;
    }
}
