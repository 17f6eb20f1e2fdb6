package org.ipc4j.testkit.mapped;

import org.ipc4j.testkit.contract.SemaphoreContract;

/** The semaphore contract, peer JVM cases included, on the kit's own mapped-file semaphores. */
class SemaphoreMappedContractTest extends SemaphoreContract {
    @Override
    protected String semaphoreAddress(String uniqueName, int initialPermits) {
        return RegionMappedProvider.SEMAPHORE + ":/" + uniqueName + "?create&initial=" + initialPermits;
    }
}
