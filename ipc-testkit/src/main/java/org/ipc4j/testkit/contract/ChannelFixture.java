package org.ipc4j.testkit.contract;

import java.io.IOException;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.Peer;
import org.ipc4j.testkit.PeerJvm;

/**
 * How {@link ChannelContract} gets the two ends of one channel of a backend. The local end is opened
 * in the test's JVM with {@link #openLocal(Duration)}; the remote end is opened with
 * {@code Ipc.connect(remoteAddress())} by another thread of this JVM or by a peer JVM, at the same
 * time (so a FIFO's blocking open or a listener's accept can complete).
 *
 * <p>Most backends need no class of their own: {@link #listening(String)} serves listener-based
 * transports and {@link #symmetric(String, String)} serves transports whose two ends each open an
 * address (FIFO pairs, datagram sockets).
 */
public interface ChannelFixture extends AutoCloseable {

    /** The address the remote end passes to {@link Ipc#connect(String)}. */
    String remoteAddress();

    /** Opens the local end; the remote end is being opened concurrently. */
    Channel openLocal(Duration timeout) throws IOException;

    /**
     * Starts the peer JVM that opens the remote end. The default starts it as built; a backend whose
     * remote end must be inherited (an anonymous pipe) launches the command itself.
     */
    default Peer startPeer(PeerJvm.Builder peer) throws IOException {
        return peer.start();
    }

    /**
     * For a one-way channel (one that does not declare {@code BIDIRECTIONAL}): true if the local end
     * is the one that sends, false (the default) if it is the one that receives. Ignored for
     * two-way channels. {@link ChannelContract} skips the cases that need the other direction.
     */
    default boolean localEndSends() {
        return false;
    }

    /** Releases what the fixture made: listeners, files, names. */
    @Override
    void close() throws IOException;

    /**
     * A fixture that listens at {@code listenAddress} now; the remote end connects to the listener's
     * bound {@link ChannelListener#address()} and the local end is the accepted channel.
     */
    static ChannelFixture listening(String listenAddress) throws IOException {
        ChannelListener listener = Ipc.listen(listenAddress);
        return new ChannelFixture() {
            @Override
            public String remoteAddress() {
                return listener.address();
            }

            @Override
            public Channel openLocal(Duration timeout) throws IOException {
                return listener.accept(timeout);
            }

            @Override
            public void close() throws IOException {
                listener.close();
            }

            @Override
            public String toString() {
                return "listening at " + listener.address();
            }
        };
    }

    /** A fixture whose local end opens {@code localAddress} and remote end {@code remoteAddress}. */
    static ChannelFixture symmetric(String localAddress, String remoteAddress) {
        return new ChannelFixture() {
            @Override
            public String remoteAddress() {
                return remoteAddress;
            }

            @Override
            public Channel openLocal(Duration timeout) throws IOException {
                return Ipc.connect(localAddress);
            }

            @Override
            public void close() {
                // the channels own what they opened
            }

            @Override
            public String toString() {
                return localAddress + " <-> " + remoteAddress;
            }
        };
    }
}
