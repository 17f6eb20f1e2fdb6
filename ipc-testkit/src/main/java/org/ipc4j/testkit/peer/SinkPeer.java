package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.util.List;
import org.ipc4j.Channel;

/**
 * Receives {@link ChannelPayload} messages until end of stream, checking each, then says
 * {@code RECEIVED <summary>} (see {@link ChannelTally#summary}) and exits 0.
 *
 * <p>Arguments after the address: {@code perStream streams sizes}, as the {@link SourcePeer} or test
 * that sends uses them.
 */
public final class SinkPeer {
    private SinkPeer() {
    }

    /** @param args the address, then perStream, streams, sizes */
    public static void main(String[] args) throws Exception {
        ChannelPeer.main(args, SinkPeer::run);
    }

    /** The program; see the class description for the arguments. */
    public static void run(Channel channel, List<String> args, ChannelPeer.Io io) throws Exception {
        if (args.size() != 3) {
            throw new IllegalArgumentException("SinkPeer needs: perStream streams sizes; got " + args);
        }
        long perStream = Long.parseLong(args.get(0));
        int streams = Integer.parseInt(args.get(1));
        ChannelTally tally = new ChannelTally(ChannelPayload.parseSizes(args.get(2), channel.maxMessageSize()));
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
