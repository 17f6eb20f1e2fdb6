package org.ipc4j.testkit.broken.signal;

import org.ipc4j.SignalService;
import org.ipc4j.testkit.contract.SignalHandlerContract;

/**
 * {@link SignalHandlerContract} on the {@link SignalFault#NONE} service. Not a surefire test by name: run by
 * {@link BrokenSignalBackendsTest}, which checks how it fares.
 */
public class IntactSignalCertification extends SignalHandlerContract {

    @Override
    protected SignalService signals() {
        return new BrokenSignals(SignalFault.NONE);
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
