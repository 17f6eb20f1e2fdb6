package org.ipc4j.testkit.signal;

import java.util.List;
import org.ipc4j.SignalService;
import org.ipc4j.testkit.contract.SignalHandlerContract;

/** The signal contract, peer JVM cases included, on the kit's own real signal service. */
class SignalJvmContractTest extends SignalHandlerContract {
    @Override
    protected SignalService signals() {
        return SignalJvmService.INSTANCE;
    }

    @Override
    protected List<String> peerJvmFlags() {
        return List.of("-Dipc.provider=" + SignalJvmProvider.NAME);
    }
}
