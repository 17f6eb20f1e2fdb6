package org.ipc4j.testkit.broken.semaphore;

import java.util.Arrays;

/** The one thing a broken semaphore backend gets wrong, and the scheme that serves it. */
public enum SemaphoreFault {
    /** Nothing: the wrapper alone, to show the contract passes on it. */
    NONE("sem-intact"),
    /** tryAcquire(timeout) waits out its timeout, then reports true without a permit: never false. */
    TIMED_NEVER_FALSE("sem-neverfalse"),
    /** release() from zero adds two permits: the count drifts, and two holders get in at once. */
    MISCOUNTS_PERMITS("sem-miscount");

    /** The address scheme of this backend. */
    public final String scheme;

    SemaphoreFault(String scheme) {
        this.scheme = scheme;
    }

    /** The fault served under {@code scheme}. */
    public static SemaphoreFault of(String scheme) {
        return Arrays.stream(values()).filter(f -> f.scheme.equals(scheme)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broken semaphore has scheme " + scheme));
    }
}
