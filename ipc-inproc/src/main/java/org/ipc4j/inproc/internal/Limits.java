package org.ipc4j.inproc.internal;

/** Size limits of the inproc backend. */
final class Limits {
    /** The largest Java array or buffer this backend allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Limits() {
    }
}
