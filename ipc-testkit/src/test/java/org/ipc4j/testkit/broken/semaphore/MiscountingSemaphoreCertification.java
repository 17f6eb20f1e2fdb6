package org.ipc4j.testkit.broken.semaphore;

import org.ipc4j.testkit.contract.SemaphoreContract;

/**
 * {@link SemaphoreContract} on the {@link SemaphoreFault#MISCOUNTS_PERMITS} backend. Not a surefire test by name: run by
 * {@link BrokenSemaphoreBackendsTest}, which checks how it fares.
 */
public class MiscountingSemaphoreCertification extends SemaphoreContract {

    @Override
    protected String semaphoreAddress(String uniqueName, int initialPermits) {
        return SemaphoreFault.MISCOUNTS_PERMITS.scheme + ":/" + uniqueName + "?create&initial=" + initialPermits;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
