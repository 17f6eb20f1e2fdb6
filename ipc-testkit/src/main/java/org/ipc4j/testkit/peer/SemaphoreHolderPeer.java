package org.ipc4j.testkit.peer;

import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.Semaphore;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the semaphore {@code args[0]}, prints {@code READY}, then obeys lines from the parent, each
 * {@code <command> <id>}, answering with the id so that the parent can wait for that very answer:
 * <pre>
 * acquire id        prints WAITING id, then ACQUIRED id once it holds a permit
 * tryAcquire id ms  prints TRIED id true|false
 * release id        prints RELEASED id
 * permits id        prints PERMITS id n
 * exit id           prints BYE id and exits 0
 * </pre>
 */
public final class SemaphoreHolderPeer {
    private SemaphoreHolderPeer() {
    }

    /** @param args semaphore address */
    public static void main(String[] args) throws Exception {
        try (Semaphore semaphore = Ipc.openSemaphore(args[0])) {
            PeerMain.ready();
            while (true) {
                String[] command = PeerMain.nextLine(Duration.ofMinutes(5)).trim().split(" ");
                String id = command[1];
                switch (command[0]) {
                    case "acquire":
                        PeerMain.say("WAITING " + id);
                        semaphore.acquire();
                        PeerMain.say("ACQUIRED " + id);
                        break;
                    case "tryAcquire":
                        PeerMain.say("TRIED " + id + " " + semaphore.tryAcquire(Duration.ofMillis(Long.parseLong(command[2]))));
                        break;
                    case "release":
                        semaphore.release();
                        PeerMain.say("RELEASED " + id);
                        break;
                    case "permits":
                        PeerMain.say("PERMITS " + id + " " + semaphore.availablePermits());
                        break;
                    case "exit":
                        PeerMain.say("BYE " + id);
                        return;
                    default:
                        throw new IllegalArgumentException("unknown command: " + String.join(" ", command));
                }
            }
        }
    }
}
