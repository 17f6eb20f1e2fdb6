package org.ipc4j.testkit.inproc;

import org.ipc4j.testkit.contract.SemaphoreContract;

/** The semaphore contract on the reference backend: every in-process case passes. */
class InprocSemaphoreContractTest extends SemaphoreContract {
    @Override
    protected String semaphoreAddress(String uniqueName, int initialPermits) {
        return "inproc:/" + uniqueName + "?create&initial=" + initialPermits;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
