package org.ipc4j.shm;

import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/** Opens the region in args[0], waits for "go", adds 1 to the long at 0 args[1] times. */
public final class RegionAdderPeer {
    private RegionAdderPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (SharedRegion region = Ipc.openRegion(args[0])) {
            long n = Long.parseLong(args[1]);
            PeerMain.ready();
            PeerMain.nextLine(Duration.ofSeconds(60));
            for (long i = 0; i < n; i++) {
                region.getAndAddLong(0, 1);
            }
            PeerMain.say("DONE");
        }
    }
}
