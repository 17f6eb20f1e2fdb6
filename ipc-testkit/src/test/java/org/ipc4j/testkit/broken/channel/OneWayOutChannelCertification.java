package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on a correct one-way channel whose local end sends
 * ({@link ChannelFixture#localEndSends()} is true). Run by {@link BrokenChannelBackendsTest}, which
 * checks that it passes and skips what needs the local end to receive.
 */
public class OneWayOutChannelCertification extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        ChannelFixture listening = ChannelFixture.listening(ChannelFault.ONE_WAY_OUT.scheme + ":/" + uniqueName);
        return new ChannelFixture() {
            @Override
            public String remoteAddress() {
                return listening.remoteAddress();
            }

            @Override
            public Channel openLocal(Duration timeout) throws IOException {
                return listening.openLocal(timeout);
            }

            @Override
            public boolean localEndSends() {
                return true;
            }

            @Override
            public void close() throws IOException {
                listening.close();
            }
        };
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
