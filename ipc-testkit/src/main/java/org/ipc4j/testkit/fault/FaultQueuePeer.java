package org.ipc4j.testkit.fault;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.testkit.PeerMain;
import org.ipc4j.testkit.peer.ChannelPayload;

/**
 * A producer or consumer of {@link QueueFaultContract}, waiting to be killed. Arguments: the queue
 * address, then a mode:
 * <pre>
 * produce &lt;sizes&gt; &lt;acked&gt;   opens, says READY, sends ChannelPayload messages (stream 0, seq 0,
 *                           1, ...) without end; once send of message acked-1 returned, says
 *                           ACKED &lt;acked&gt;
 * consume [&lt;file&gt; &lt;n&gt;]      opens, says READY, then for each message: RECEIVING, a blocking
 *                           receive(), and GOT &lt;seq&gt; (the payload's sequence number, -1 if it has
 *                           none); with a file, the sequence numbers are appended to it instead,
 *                           one a line, written unbuffered, and COUNT &lt;n&gt; is said after message n
 * </pre>
 */
public final class FaultQueuePeer {
    private FaultQueuePeer() {
    }

    /** @param args address, mode, mode arguments */
    public static void main(String[] args) throws Exception {
        try (MessageQueue queue = Ipc.openQueue(args[0])) {
            PeerMain.ready();
            switch (args[1]) {
                case "produce": {
                    int[] sizes = ChannelPayload.parseSizes(args[2], queue.maxMessageSize());
                    long acked = Long.parseLong(args[3]);
                    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, queue.maxMessageSize()));
                    for (long seq = 0; ; seq++) {
                        buffer.clear();
                        ChannelPayload.fill(buffer, 0, seq, ChannelPayload.sizeOf(sizes, seq));
                        queue.send(buffer.flip());
                        if (seq + 1 == acked) {
                            PeerMain.say("ACKED " + acked);
                        }
                    }
                }
                case "consume": {
                    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, queue.maxMessageSize()));
                    OutputStream acks = args.length > 2 ? new FileOutputStream(args[2], true) : null;
                    long report = args.length > 3 ? Long.parseLong(args[3]) : -1;
                    for (long count = 1; ; count++) {
                        PeerMain.say("RECEIVING");
                        buffer.clear();
                        queue.receive(buffer, Duration.ofMinutes(5));
                        buffer.flip();
                        long seq = buffer.remaining() >= ChannelPayload.HEADER ? buffer.getLong(4) : -1;
                        if (acks == null) {
                            PeerMain.say("GOT " + seq);
                            continue;
                        }
                        acks.write((seq + "\n").getBytes(StandardCharsets.US_ASCII));   // unbuffered: survives the kill
                        if (count == report) {
                            PeerMain.say("COUNT " + count);
                        }
                    }
                }
                default:
                    throw new IllegalArgumentException("unknown mode '" + args[1] + "'; accepted: produce, consume");
            }
        }
    }
}
