package org.ipc4j.shm.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the queue args[0], claims a slot without publishing it, says CLAIMED, then waits for a line:
 * "finish" completes the claim's write (a stalled producer resuming); anything else exits. With
 * args[1] "read" it instead takes the head message for reading and stops there.
 */
public final class ClaimPeer {
    private ClaimPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (ShmQueue queue = (ShmQueue) Ipc.openQueue(args[0])) {
            if (args.length > 1 && args[1].equals("read")) {
                PeerMain.say("READING " + queue.beginReadForTest());
                PeerMain.nextLine(Duration.ofSeconds(120));
                return;
            }
            long position = queue.claim();
            PeerMain.say("CLAIMED " + position);
            String line = PeerMain.nextLine(Duration.ofSeconds(120));
            if (line.equals("finish")) {
                ByteBuffer late = ByteBuffer.wrap("late".getBytes(StandardCharsets.US_ASCII));
                boolean published = queue.write(position, late.duplicate());
                if (!published) {
                    queue.send(late);   // what a send does when its claim was revoked: send again
                }
                PeerMain.say("PUBLISHED " + published);
            }
        }
    }
}
