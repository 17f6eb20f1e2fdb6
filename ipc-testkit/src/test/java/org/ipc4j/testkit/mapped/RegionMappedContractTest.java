package org.ipc4j.testkit.mapped;

import org.ipc4j.testkit.contract.SharedRegionContract;

/** The region contract, peer JVM cases included, on the kit's own mapped-file regions. */
class RegionMappedContractTest extends SharedRegionContract {
    @Override
    protected String regionAddress(String uniqueName, long size) {
        return RegionMappedProvider.REGION + ":/" + uniqueName + "?create&size=" + size;
    }
}
