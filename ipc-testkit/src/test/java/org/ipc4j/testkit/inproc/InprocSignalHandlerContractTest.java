package org.ipc4j.testkit.inproc;

import org.ipc4j.SignalService;
import org.ipc4j.inproc.InprocProvider;
import org.ipc4j.testkit.contract.SignalHandlerContract;

/** The signal contract on the reference backend: handlers run on sends to this JVM's own pid. */
class InprocSignalHandlerContractTest extends SignalHandlerContract {
    @Override
    protected SignalService signals() {
        return new InprocProvider().signals().orElseThrow();
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
