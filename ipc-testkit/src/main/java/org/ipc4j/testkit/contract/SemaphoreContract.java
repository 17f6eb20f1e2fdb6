package org.ipc4j.testkit.contract;

/**
 * Behaviour every {@link org.ipc4j.Semaphore} backend must show, in-process and across JVMs.
 * Extend it and implement {@link #semaphoreAddress(String, int)}.
 */
public abstract class SemaphoreContract {

    /** For subclasses: one per backend under test. */
    protected SemaphoreContract() {
    }


    /**
     * The address of a fresh semaphore holding {@code initialPermits}, with {@code create}.
     *
     * @param uniqueName unique per test and run; letters, digits and '-'
     */
    protected abstract String semaphoreAddress(String uniqueName, int initialPermits);

    /** False if the semaphore cannot be shared with another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }
}
