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
            long sum = 0;
            for (long i = 0; i < count; i++) {
                sum += region.getAndAddLong(offset, 1);
            }
            PeerMain.say("ADDED " + count + " " + sum);
        }
    }
}
