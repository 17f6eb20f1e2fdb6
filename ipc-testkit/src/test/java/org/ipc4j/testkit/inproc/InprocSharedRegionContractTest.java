package org.ipc4j.testkit.inproc;

import org.ipc4j.testkit.contract.SharedRegionContract;

/** The region contract on the reference backend: every in-process case passes. */
class InprocSharedRegionContractTest extends SharedRegionContract {
    @Override
    protected String regionAddress(String uniqueName, long size) {
        return "inproc:/" + uniqueName + "?create&size=" + size;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
