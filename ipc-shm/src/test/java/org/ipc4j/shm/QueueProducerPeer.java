package org.ipc4j.shm;

import java.nio.ByteBuffer;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the queue args[0] and sends args[2] messages (forever if -1) tagged with producer id
 * args[1], each {@code [producer:long][seq:long][payload…][crc]} as ChannelSourcePeer builds them;
 * then args[3] stop messages (producer -1).
 */
public final class QueueProducerPeer {
    private QueueProducerPeer() {
    }

    public static void main(String[] args) throws Exception {
        long producer = Long.parseLong(args[1]);
        long count = Long.parseLong(args[2]);
        int stops = Integer.parseInt(args[3]);
        try (MessageQueue queue = Ipc.openQueue(args[0])) {
            PeerMain.ready();
            ByteBuffer body = ByteBuffer.allocate(queue.maxMessageSize() - 8);
            ByteBuffer message = ByteBuffer.allocate(queue.maxMessageSize());
            for (long seq = 0; count < 0 || seq < count; seq++) {
                ChannelSourcePeer.fill(body, seq, body.capacity());
                message.clear();
                message.putLong(producer).put(body).flip();
                queue.send(message);
            }
            for (int i = 0; i < stops; i++) {
                message.clear();
                message.putLong(-1).flip();
                queue.send(message);
            }
        }
        PeerMain.say("SENT " + count);
    }
}
