package org.ipc4j.testkit.broken.region;

import org.ipc4j.testkit.contract.SharedRegionContract;

/**
 * {@link SharedRegionContract} on the {@link RegionFault#NON_ATOMIC_ADD} backend. Not a surefire test by name: run by
 * {@link BrokenRegionBackendsTest}, which checks how it fares.
 */
public class NonAtomicAddRegionCertification extends SharedRegionContract {

    @Override
    protected String regionAddress(String uniqueName, long size) {
        return RegionFault.NON_ATOMIC_ADD.scheme + ":/" + uniqueName + "?create&size=" + size;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
