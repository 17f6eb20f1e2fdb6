package org.ipc4j.testkit.broken.signal;

import org.ipc4j.SignalService;
import org.ipc4j.testkit.contract.SignalHandlerContract;

/**
 * {@link SignalHandlerContract} on the {@link SignalFault#ACCEPTS_RESERVED} service. Not a surefire test by name: run by
 * {@link BrokenSignalBackendsTest}, which checks how it fares.
 */
public class ReservedAcceptingSignalCertification extends SignalHandlerContract {

    @Override
    protected SignalService signals() {
        return new BrokenSignals(SignalFault.ACCEPTS_RESERVED);
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
