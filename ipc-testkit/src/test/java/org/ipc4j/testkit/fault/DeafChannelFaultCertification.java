package org.ipc4j.testkit.fault;

import java.io.IOException;
import org.ipc4j.testkit.contract.ChannelFixture;

/**
 * {@link ChannelFaultContract} on {@code kit-unix-deaf:}, which never reports end of stream, so a
 * killed peer goes unnoticed. Run by {@link BrokenFaultBackendsTest}, not by surefire directly.
 */
public class DeafChannelFaultCertification extends ChannelFaultContract {
    /** Made by the JUnit engine. */
    public DeafChannelFaultCertification() {
    }

    @Override
    protected ChannelFixture newFixture(String uniqueName) throws IOException {
        return ChannelFixture.listening("kit-unix-deaf:/tmp/ipc4j-testkit/" + uniqueName + ".sock");
    }
}
