package org.ipc4j.shm.internal;

import java.lang.ref.Cleaner;

/**
 * Unmaps a retired mapping ({@link Mapping#retire()}) once the object that might still write into
 * it is unreachable. Its cleaner thread starts with the first registration, which only a close that
 * races a lock-free sender makes.
 */
final class RetiredMappings {
    private RetiredMappings() {
    }

    /** Unmaps {@code mapping} after {@code user} becomes unreachable. */
    static void unmapAfter(Object user, Mapping mapping) {
        Holder.CLEANER.register(user, mapping::unmap);
    }

    /** Starts the cleaner thread on first use only. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create(r -> {
            Thread t = new Thread(r, "ipc4j-shm-retired-mappings");
            t.setDaemon(true);
            return t;
        });
    }
}
