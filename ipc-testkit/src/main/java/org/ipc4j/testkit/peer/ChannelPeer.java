package org.ipc4j.testkit.peer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;

/**
 * What the channel peers have in common: each is a {@link Program} that gets an open channel, its
 * arguments and an {@link Io}, so that {@code ChannelContract} can run it in a peer JVM (through the
 * peer's {@code main}, which calls {@link #main(String[], Program)}) or in a thread of the test's JVM.
 */
public final class ChannelPeer {
    private ChannelPeer() {
    }

    /** How a peer program talks to the test: lines out, lines in. */
    public interface Io {
        /** Says one line to the test (standard output in a peer JVM). */
        void say(String line);

        /**
         * The next line the test sent.
         *
         * @throws IllegalStateException if none came within {@code timeout} or the test closed the input
         */
        String nextLine(Duration timeout) throws InterruptedException;
    }

    /** A peer program: runs on the remote end of a channel, which the caller closes after it returns. */
    @FunctionalInterface
    public interface Program {
        /**
         * @param channel the remote end, open
         * @param args the program's arguments (without the address)
         * @param io lines to and from the test
         */
        void run(Channel channel, List<String> args, Io io) throws Exception;
    }

    /** The {@link Io} of a peer JVM: {@link PeerMain#say} and {@link PeerMain#nextLine}. */
    public static final Io PEER_MAIN_IO = new Io() {
        @Override
        public void say(String line) {
            PeerMain.say(line);
        }

        @Override
        public String nextLine(Duration timeout) throws InterruptedException {
            return PeerMain.nextLine(timeout);
        }
    };

    /**
     * The body of a channel peer's {@code main}: connects to {@code args[0]} with
     * {@link Ipc#connect(String)}, prints {@code READY}, runs {@code program} with the other
     * arguments, and closes the channel.
     */
    public static void main(String[] args, Program program) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("a channel peer needs the address to connect to as first argument");
        }
        try (Channel channel = Ipc.connect(args[0])) {
            PeerMain.ready();
            program.run(channel, Arrays.asList(args).subList(1, args.length), PEER_MAIN_IO);
        }
    }
}
