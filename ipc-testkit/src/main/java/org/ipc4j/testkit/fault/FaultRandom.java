package org.ipc4j.testkit.fault;

import java.util.Random;

/**
 * The seeded randomness of the fault cases: the seed comes from {@code -Dipc.fault.seed} or the
 * clock, and is printed so that a failing round can be replayed exactly.
 */
public final class FaultRandom {
    private FaultRandom() {
    }

    /** A generator for {@code what}, its seed printed as {@code [fault] <what>: seed=<n> (-Dipc.fault.seed=<n> replays it)}. */
    public static Random create(String what) {
        long seed = Long.getLong("ipc.fault.seed", System.nanoTime());
        System.out.println("[fault] " + what + ": seed=" + seed + " (-Dipc.fault.seed=" + seed + " replays it)");
        return new Random(seed);
    }

    /** How many kill rounds the mid-stream cases run: {@code -Dipc.fault.rounds}, 3 by default. */
    public static int rounds() {
        return Integer.getInteger("ipc.fault.rounds", 3);
    }
}
