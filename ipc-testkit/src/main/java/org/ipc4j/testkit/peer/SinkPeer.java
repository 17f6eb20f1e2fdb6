package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.util.List;
import org.ipc4j.Channel;

/**
 * Receives {@link ChannelPayload} messages until end of stream, checking each, then says
 * {@code RECEIVED <summary>} (see {@link ChannelTally#summary}) and exits 0.
 *
 * <p>Arguments after the address: {@code perStream streams sizes}, as the {@link SourcePeer} or test
 * that sends uses them, and optionally {@code drain=N}: take the messages with
 * {@link Channel#drain(org.ipc4j.MessageHandler, int)} in batches of at most N instead of one
 * {@code receive} each.
 */
public final class SinkPeer {
    private SinkPeer() {
    }

    /** @param args the address, then perStream, streams, sizes and optionally drain=N */
    public static void main(String[] args) throws Exception {
        ChannelPeer.main(args, SinkPeer::run);
    }

    /** The program; see the class description for the arguments. */
    public static void run(Channel channel, List<String> args, ChannelPeer.Io io) throws Exception {
        if (args.size() != 3 && !(args.size() == 4 && args.get(3).startsWith("drain="))) {
            throw new IllegalArgumentException("SinkPeer needs: perStream streams sizes [drain=N]; got " + args);
        }
        int drainBatch = args.size() == 4 ? Integer.parseInt(args.get(3).substring("drain=".length())) : 0;
        long perStream = Long.parseLong(args.get(0));
        int streams = Integer.parseInt(args.get(1));
        ChannelTally tally = new ChannelTally(ChannelPayload.parseSizes(args.get(2), channel.maxMessageSize()));
        if (drainBatch > 0) {
            while (channel.drain(tally::accept, drainBatch) >= 0) {
                // the handler counts
            }
            io.say("RECEIVED " + tally.summary(perStream, streams));
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, channel.maxMessageSize()));
        while (true) {
            buffer.clear();
            if (channel.receive(buffer) < 0) {
                break;
            }
            buffer.flip();
            tally.accept(buffer);
        }
        io.say("RECEIVED " + tally.summary(perStream, streams));
    }
}
