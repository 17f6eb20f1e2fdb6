package org.ipc4j.shm.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Shared (not private) futex wait and wake on a 32-bit word of a mapping, through
 * {@code syscall(SYS_futex)}. One instance per waiting thread role: it owns its timespec.
 */
public final class Futex {
    /** Longest single kernel wait, so close, interrupt and a dead peer are noticed in time. */
    public static final long SLICE_NANOS = 20_000_000;

    private final Memory timespec = new Memory(16);
    private final long timespecAddress = Pointer.nativeValue(timespec);

    /** Waits while the word at {@code address} holds {@code expected}, at most {@code nanos} (capped at a slice). */
    public void await(long address, int expected, long nanos) {
        long n = Math.max(1, Math.min(nanos, SLICE_NANOS));
        timespec.setLong(0, n / 1_000_000_000L);
        timespec.setLong(8, n % 1_000_000_000L);
        LibC.syscall(LibC.SYS_FUTEX, address, LibC.FUTEX_WAIT, expected, timespecAddress, 0, 0);
    }

    /** Wakes every waiter on the word at {@code address}, in any process. */
    public static void wakeAll(long address) {
        LibC.syscall(LibC.SYS_FUTEX, address, LibC.FUTEX_WAKE, Integer.MAX_VALUE, 0, 0, 0);
    }
}
