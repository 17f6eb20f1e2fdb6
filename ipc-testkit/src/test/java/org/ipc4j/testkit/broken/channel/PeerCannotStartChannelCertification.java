package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on the correct {@code kit-unix:} backend, but with peer JVMs that cannot
 * start (a bad JVM flag). Run by {@link BrokenChannelBackendsTest}, which checks that the peer JVM cases
 * fail fast and show the peer's output.
 */
public class PeerCannotStartChannelCertification extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening("kit-unix:/tmp/ipc4j-testkit/" + uniqueName + ".sock");
    }

    @Override
    protected void configurePeer(PeerJvm.Builder peer) {
        peer.jvmFlags("-XX:+NoSuchOptionForTheKitsTest");
    }
}
