package org.ipc4j.testkit.fault;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;
import org.ipc4j.testkit.peer.ChannelPayload;

/**
 * The remote end of {@link ChannelFaultContract}, waiting to be killed at a named point. Arguments:
 * the address, then a mode:
 * <pre>
 * before-connect             says BEFORE_CONNECT, waits for a line, then connects
 * idle                       connects, says READY, waits for a line
 * stream &lt;sizes&gt; &lt;acked&gt;     connects, says READY, sends ChannelPayload messages (stream 0,
 *                            seq 0, 1, ...) without end; once send of message acked-1 returned,
 *                            says ACKED &lt;acked&gt;
 * receive                    connects, says READY, then RECEIVING, and blocks in receive()
 * </pre>
 */
public final class FaultChannelPeer {
    private FaultChannelPeer() {
    }

    /** @param args address, mode, mode arguments */
    public static void main(String[] args) throws Exception {
        String address = args[0];
        String mode = args[1];
        List<String> rest = Arrays.asList(args).subList(2, args.length);
        if (mode.equals("before-connect")) {
            PeerMain.say("BEFORE_CONNECT");
            PeerMain.nextLine(Duration.ofMinutes(5));
        }
        try (Channel channel = Ipc.connect(address)) {
            PeerMain.ready();
            switch (mode) {
                case "before-connect":
                case "idle":
                    PeerMain.nextLine(Duration.ofMinutes(5));
                    break;
                case "stream":
                    stream(channel, ChannelPayload.parseSizes(rest.get(0), channel.maxMessageSize()),
                            Long.parseLong(rest.get(1)));
                    break;
                case "receive":
                    PeerMain.say("RECEIVING");
                    int n = channel.receive(ByteBuffer.allocate(Math.max(1, channel.maxMessageSize())));
                    PeerMain.say("UNEXPECTED " + n);
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode '" + mode
                            + "'; accepted: before-connect, idle, stream, receive");
            }
        }
    }

    private static void stream(Channel channel, int[] sizes, long acked) throws Exception {
        int largest = 1;
        for (int s : sizes) {
            largest = Math.max(largest, s);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(largest);
        for (long seq = 0; ; seq++) {
            buffer.clear();
            ChannelPayload.fill(buffer, 0, seq, ChannelPayload.sizeOf(sizes, seq));
            channel.send(buffer.flip());
            if (seq + 1 == acked) {
                PeerMain.say("ACKED " + acked);
            }
        }
    }
}
