package org.ipc4j.testkit.fault;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.SignalService;
import org.ipc4j.testkit.BoundedCall;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.peer.SignalReceiverPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * What a {@link SignalService} must do when the process it signals was killed: a signal is a
 * notification with no acknowledgement, so the guarantee is that a send to a dead (and reaped)
 * process is an {@link ObjectNotFoundException} naming the pid, at once, never silence. Extend it
 * and implement {@link #signals()}.
 */
public abstract class SignalFaultContract {
    /** The longest a step may take. */
    protected static final Duration STEP = Duration.ofSeconds(30);

    /** For subclasses. */
    protected SignalFaultContract() {
    }

    /** The service under test, in this JVM. */
    protected abstract SignalService signals();

    /** Adjusts every peer JVM before it starts. */
    protected void configurePeer(PeerJvm.Builder peer) {
    }

    /**
     * A peer JVM handles USR1 (one delivery is checked), is killed with SIGKILL and reaped: a send
     * to its pid then throws {@link ObjectNotFoundException} naming the pid.
     */
    @Test
    @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
    void signalToAKilledPeerIsObjectNotFound() throws Exception {
        PeerJvm.Builder b = PeerJvm.builder(SignalReceiverPeer.class);
        configurePeer(b);
        try (PeerJvm peer = b.start()) {
            peer.awaitReady(STEP);
            peer.sendLine("handle USR1 a");
            peer.awaitLineStartingWith("REGISTERED a", STEP);
            signals().send(peer.pid(), Signal.USR1);
            peer.awaitLineStartingWith("HANDLED a 1", STEP);
            peer.kill();
            peer.awaitExit(STEP);
            long pid = peer.pid();
            ObjectNotFoundException x = assertThrows(ObjectNotFoundException.class,
                    () -> BoundedCall.within(STEP, "send to a killed peer", () -> {
                        signals().send(pid, Signal.USR1);
                        return null;
                    }), "a signal to the killed and reaped peer (pid " + pid + ")");
            assertTrue(String.valueOf(x.getMessage()).contains(String.valueOf(pid)) || String.valueOf(x.object()).contains(String.valueOf(pid)),
                    () -> "the refusal must name the pid " + pid + ": " + x.getMessage());
        }
    }
}
