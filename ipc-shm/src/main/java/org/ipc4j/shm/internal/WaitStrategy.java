package org.ipc4j.shm.internal;

import java.util.Locale;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.IpcAddress;

/** How a blocked send or receive waits: the {@code wait=} key. */
public enum WaitStrategy {
    /** Busy-spin on the shared counter: lowest latency, one core busy while waiting. */
    SPIN,
    /** Block in the kernel on a futex at once: no CPU while idle, a wake-up costs a system call. */
    BLOCK,
    /** Spin for {@link #SPIN_NANOS}, then block: the default. */
    SPIN_THEN_BLOCK;

    /** How long {@link #SPIN_THEN_BLOCK} spins before blocking. */
    public static final long SPIN_NANOS = 50_000;

    /** The strategy an address asks for; {@link #SPIN_THEN_BLOCK} by default. */
    public static WaitStrategy of(IpcAddress address) throws InvalidAddressException {
        String value = address.string("wait").orElse("spinThenBlock");
        switch (value.toLowerCase(Locale.ROOT)) {
            case "spin": return SPIN;
            case "block": return BLOCK;
            case "spinthenblock": return SPIN_THEN_BLOCK;
            default:
                throw address.invalid("wait", "wait must be spin, block or spinThenBlock: wait=" + value);
        }
    }

    /** Nanoseconds to spin before blocking. */
    long spinNanos() {
        return this == SPIN ? Long.MAX_VALUE : this == BLOCK ? 0 : SPIN_NANOS;
    }
}
