package org.ipc4j.shm;

import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/** Opens the region args[0] and prints OPENED value, or the exception's class and message. */
public final class RegionOpenPeer {
    private RegionOpenPeer() {
    }

    public static void main(String[] args) {
        try (SharedRegion r = Ipc.openRegion(args[0])) {
            PeerMain.say("OPENED " + r.getLongVolatile(0));
        } catch (Exception e) {
            PeerMain.say("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
