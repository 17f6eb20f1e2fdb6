package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelContract} on a channel that declares neither RELIABLE nor ORDERED, as a UDP channel
 * would. Run by {@link BrokenChannelBackendsTest}, which checks what is skipped and why.
 */
public class UndeclaredChannelCertification extends ChannelContract {

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening(ChannelFault.UNDECLARED.scheme + ":/" + uniqueName);
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
