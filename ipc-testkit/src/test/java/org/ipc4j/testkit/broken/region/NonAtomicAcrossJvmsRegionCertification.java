package org.ipc4j.testkit.broken.region;

import org.ipc4j.testkit.contract.SharedRegionContract;

/**
 * {@link SharedRegionContract}, peer JVM cases included, on the kit's mapped-file regions whose
 * getAndAdd is a read then a write ({@code kit-region-nonatomic:}). Not a surefire test by name: run by
 * {@link BrokenRegionBackendsTest}, which checks that the cross-process adders catch it.
 */
public class NonAtomicAcrossJvmsRegionCertification extends SharedRegionContract {

    @Override
    protected String regionAddress(String uniqueName, long size) {
        return "kit-region-nonatomic:/" + uniqueName + "?create&size=" + size;
    }
}
