package org.ipc4j.testkit.peer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ipc4j.Ipc;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.ipc4j.testkit.PeerMain;

/**
 * Installs and removes signal handlers through {@link Ipc#signals()} as the parent asks, printing
 * each delivery. Prints {@code READY}, then obeys lines:
 * <pre>
 * handle SIG id   installs handler id for SIG (such as USR1); prints REGISTERED id.
 *                 The handler prints HANDLED id n on its n-th run (n from 1).
 * close id        closes that registration; prints CLOSED id
 * exit id         prints BYE id and exits 0
 * </pre>
 */
public final class SignalReceiverPeer {
    private SignalReceiverPeer() {
    }

    /** @param args none */
    public static void main(String[] args) throws Exception {
        SignalService signals = Ipc.signals();
        Map<String, SignalRegistration> registrations = new HashMap<>();
        PeerMain.ready();
        while (true) {
            String[] command = PeerMain.nextLine(Duration.ofMinutes(5)).trim().split(" ");
            switch (command[0]) {
                case "handle": {
                    String id = command[2];
                    AtomicLong runs = new AtomicLong();
                    registrations.put(id, signals.handle(Signal.valueOf(command[1]),
                            s -> PeerMain.say("HANDLED " + id + " " + runs.incrementAndGet())));
                    PeerMain.say("REGISTERED " + id);
                    break;
                }
                case "close":
                    registrations.remove(command[1]).close();
                    PeerMain.say("CLOSED " + command[1]);
                    break;
                case "exit":
                    PeerMain.say("BYE " + command[1]);
                    return;
                default:
                    throw new IllegalArgumentException("unknown command: " + String.join(" ", command));
            }
        }
    }
}
