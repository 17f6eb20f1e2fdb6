package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.zip.CRC32;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the queue {@code args[0]}, prints {@code READY}, waits for the line {@code GO} from the
 * parent, then sends {@code args[1]} messages {@link #payload(int, long, ByteBuffer) payload(id, 0..n-1)}
 * with priority 0 ({@code args[2]} is the producer id), and prints {@code SENT <count> <crc32>}, the
 * CRC-32 of every message's bytes in send order.
 */
public final class QueueProducerPeer {
    /** The largest message {@link #payload} writes; queues for this peer need at least this size. */
    public static final int MAX_PAYLOAD = 12 + 40;

    private QueueProducerPeer() {
    }

    /** @param args queue address, message count, producer id */
    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[1]);
        int producer = Integer.parseInt(args[2]);
        try (MessageQueue queue = Ipc.openQueue(args[0])) {
            PeerMain.ready();
            String go = PeerMain.nextLine(Duration.ofSeconds(120));
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO from the parent, got: " + go);
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_PAYLOAD);
            CRC32 crc = new CRC32();
            for (long seq = 0; seq < count; seq++) {
                buffer.clear();
                payload(producer, seq, buffer);
                buffer.flip();
                crc.update(buffer.duplicate());
                queue.send(buffer);
            }
            PeerMain.say("SENT " + count + " " + crc.getValue());
        }
    }

    /**
     * Writes message {@code seq} of producer {@code producer} at the buffer's position: the id (int),
     * the sequence number (long), then {@code seq * 7 % 41} bytes derived from both. 12 to
     * {@link #MAX_PAYLOAD} bytes.
     */
    public static void payload(int producer, long seq, ByteBuffer dst) {
        dst.putInt(producer);
        dst.putLong(seq);
        int filler = (int) (seq * 7 % 41);
        for (int j = 0; j < filler; j++) {
            dst.put((byte) (seq + j * 31L + producer));
        }
    }

    /**
     * Checks that {@code message} (position to limit) is exactly {@code payload(producer, seq)}.
     *
     * @return null if it is, else what differs
     */
    public static String checkPayload(int producer, long seq, ByteBuffer message) {
        ByteBuffer expected = ByteBuffer.allocate(MAX_PAYLOAD);
        payload(producer, seq, expected);
        expected.flip();
        if (message.remaining() < 12) {
            return "message of " + message.remaining() + " bytes where producer " + producer + " message " + seq
                    + " of " + expected.remaining() + " bytes was expected";
        }
        int gotProducer = message.getInt(message.position());
        long gotSeq = message.getLong(message.position() + 4);
        if (gotProducer != producer || gotSeq != seq) {
            return "got producer " + gotProducer + " message " + gotSeq + " where producer " + producer + " message "
                    + seq + " was expected (lost, duplicated or reordered)";
        }
        if (!expected.equals(message)) {
            return "producer " + producer + " message " + seq + " has wrong content or length: " + message.remaining()
                    + " bytes, expected " + expected.remaining();
        }
        return null;
    }
}
