package org.ipc4j.testkit.broken.semaphore;

import org.ipc4j.testkit.contract.SemaphoreContract;

/**
 * {@link SemaphoreContract} on the {@link SemaphoreFault#TIMED_NEVER_FALSE} backend. Not a surefire test by name: run by
 * {@link BrokenSemaphoreBackendsTest}, which checks how it fares.
 */
public class NeverFalseSemaphoreCertification extends SemaphoreContract {

    @Override
    protected String semaphoreAddress(String uniqueName, int initialPermits) {
        return SemaphoreFault.TIMED_NEVER_FALSE.scheme + ":/" + uniqueName + "?create&initial=" + initialPermits;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
