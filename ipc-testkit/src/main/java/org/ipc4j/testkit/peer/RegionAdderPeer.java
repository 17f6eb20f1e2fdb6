package org.ipc4j.testkit.peer;

import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the region {@code args[0]}, prints {@code READY}, waits for the line {@code GO}, then calls
 * {@code getAndAddLong(args[1], 1)} {@code args[2]} times and prints {@code ADDED <count> <sum>}, where
 * sum is the sum of the values getAndAdd returned (with an atomic add, every value appears once across
 * all adders).
 *
 * <p>With {@code args[3]} and {@code args[4]} (a barrier offset and the number of adders), it first
 * meets the other adders there ({@link #meet}), so that all of them add at the same time.
 */
public final class RegionAdderPeer {
    private RegionAdderPeer() {
    }

    /** @param args region address, offset of the counter, number of additions */
    public static void main(String[] args) throws Exception {
        long offset = Long.parseLong(args[1]);
        long count = Long.parseLong(args[2]);
        try (SharedRegion region = Ipc.openRegion(args[0])) {
            PeerMain.ready();
            String go = PeerMain.nextLine(Duration.ofSeconds(120));
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO from the parent, got: " + go);
            }
            if (args.length > 4) {
                meet(region, Long.parseLong(args[3]), Long.parseLong(args[4]), Duration.ofSeconds(60));
            }
            long sum = 0;
            for (long i = 0; i < count; i++) {
                sum += region.getAndAddLong(offset, 1);
            }
            PeerMain.say("ADDED " + count + " " + sum);
        }
    }

    /**
     * A barrier in the region: adds one to the long at {@code offset} with compareAndSet, then spins
     * until it reaches {@code parties}.
     *
     * @throws IllegalStateException if the others did not arrive within {@code timeout}
     */
    public static void meet(SharedRegion region, long offset, long parties, Duration timeout) {
        long arrived;
        do {
            arrived = region.getLongVolatile(offset);
        } while (!region.compareAndSetLong(offset, arrived, arrived + 1)); // not getAndAdd: that is under test
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen;
        while ((seen = region.getLongVolatile(offset)) < parties) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("only " + seen + " of " + parties + " adders met at offset " + offset
                        + " of '" + region.address() + "' within " + timeout);
            }
            Thread.onSpinWait();
        }
    }
}
