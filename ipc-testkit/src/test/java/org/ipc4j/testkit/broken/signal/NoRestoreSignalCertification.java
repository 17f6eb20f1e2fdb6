package org.ipc4j.testkit.broken.signal;

import org.ipc4j.SignalService;
import org.ipc4j.testkit.contract.SignalHandlerContract;

/**
 * {@link SignalHandlerContract} on the {@link SignalFault#CLOSE_DOES_NOT_RESTORE} service. Not a surefire test by name: run by
 * {@link BrokenSignalBackendsTest}, which checks how it fares.
 */
public class NoRestoreSignalCertification extends SignalHandlerContract {

    @Override
    protected SignalService signals() {
        return new BrokenSignals(SignalFault.CLOSE_DOES_NOT_RESTORE);
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
