package org.ipc4j.shm;

import org.ipc4j.testkit.contract.SharedRegionContract;

/** The test kit's region contract against {@code shm:} regions. */
class ShmRegionContractTest extends SharedRegionContract {
    @Override
    protected String regionAddress(String uniqueName, long size) {
        return "shm:/ipc4j-c-" + uniqueName + "?create&size=" + size;
    }
}
