package org.ipc4j.testkit.broken.region;

import java.util.Arrays;

/** The one thing a broken region backend gets wrong, and the scheme that serves it. */
public enum RegionFault {
    /** Nothing: the wrapper alone, to show the contract passes on it. */
    NONE("region-intact"),
    /** getAndAdd is a read, then a write: two adders lose updates. */
    NON_ATOMIC_ADD("region-nonatomic"),
    /** The bounds check lets an access run one byte past the end (into slack the backend keeps). */
    BOUNDS_OFF_BY_ONE("region-offbyone");

    /** Bytes of slack behind the user area, so that the off-by-one access does not fault. */
    public static final int SLACK = 8;

    /** The address scheme of this backend. */
    public final String scheme;

    RegionFault(String scheme) {
        this.scheme = scheme;
    }

    /** The fault served under {@code scheme}. */
    public static RegionFault of(String scheme) {
        return Arrays.stream(values()).filter(f -> f.scheme.equals(scheme)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broken region has scheme " + scheme));
    }
}
