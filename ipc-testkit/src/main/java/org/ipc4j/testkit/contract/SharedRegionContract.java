package org.ipc4j.testkit.contract;

/**
 * Behaviour every {@link org.ipc4j.SharedRegion} backend must show, in-process and across JVMs.
 * Extend it and implement {@link #regionAddress(String, long)}.
 */
public abstract class SharedRegionContract {

    /** For subclasses: one per backend under test. */
    protected SharedRegionContract() {
    }


    /**
     * The address of a fresh region of {@code size} usable bytes, with {@code create}.
     *
     * @param uniqueName unique per test and run; letters, digits and '-'
     */
    protected abstract String regionAddress(String uniqueName, long size);

    /** False if the region cannot be shared with another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }
}
