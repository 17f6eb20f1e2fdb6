package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/** {@code struct timespec} helpers (two 64-bit fields on the 64-bit platforms we support). */
final class Timespec {
    private Timespec() {
    }

    /** Writes CLOCK_REALTIME now + {@code nanos} into {@code ts}, as the absolute timeouts of glibc want. */
    static void realtimeAfter(Memory ts, long nanos) {
        LibC.clock_gettime(LibC.CLOCK_REALTIME, Pointer.nativeValue(ts));
        long sec = ts.getLong(0);
        long nsec = ts.getLong(8) + nanos;
        sec += nsec / 1_000_000_000L;
        nsec %= 1_000_000_000L;
        ts.setLong(0, sec);
        ts.setLong(8, nsec);
    }

    /** Writes a relative {@code nanos} into {@code ts}. */
    static void relative(Memory ts, long nanos) {
        ts.setLong(0, nanos / 1_000_000_000L);
        ts.setLong(8, nanos % 1_000_000_000L);
    }
}
