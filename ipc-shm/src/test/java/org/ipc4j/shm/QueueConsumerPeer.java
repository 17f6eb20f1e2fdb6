package org.ipc4j.shm;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the queue args[0] and receives until args[1] stop messages came; checks every message's
 * checksum and that each producer's seqs rise; prints {@code GOT count sum sumOfSquares}.
 */
public final class QueueConsumerPeer {
    private QueueConsumerPeer() {
    }

    public static void main(String[] args) throws Exception {
        int stops = Integer.parseInt(args[1]);
        long count = 0;
        long sum = 0;
        long squares = 0;
        Map<Long, Long> last = new HashMap<>();
        try (MessageQueue queue = Ipc.openQueue(args[0])) {
            PeerMain.ready();
            ByteBuffer buffer = ByteBuffer.allocate(queue.maxMessageSize());
            while (stops > 0) {
                buffer.clear();
                queue.receive(buffer, Duration.ofSeconds(60));
                buffer.flip();
                long producer = buffer.getLong();
                if (producer < 0) {
                    stops--;
                    continue;
                }
                long seq = ChannelSourcePeer.check(buffer.slice());
                Long previous = last.put(producer, seq);
                if (previous != null && previous >= seq) {
                    throw new AssertionError("producer " + producer + " seq " + seq + " after " + previous);
                }
                long id = producer * 1_000_000_000L + seq;
                count++;
                sum += id;
                squares += id * id;
            }
        }
        PeerMain.say("GOT " + count + " " + sum + " " + squares);
    }
}
