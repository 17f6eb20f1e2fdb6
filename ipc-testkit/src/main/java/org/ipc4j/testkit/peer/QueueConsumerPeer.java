package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;
import org.ipc4j.testkit.PeerMain;

/**
 * Opens the queue {@code args[0]}, prints {@code READY}, then receives {@code args[1]} messages (a
 * negative count: until killed). Before each receive it prints {@code RECEIVING <i>}; after it,
 * {@code GOT <i> <length> <priority> <crc32>} with the CRC-32 of the message's bytes. At the end it
 * prints {@code RECEIVED <count>}.
 */
public final class QueueConsumerPeer {
    private QueueConsumerPeer() {
    }

    /** @param args queue address, message count */
    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[1]);
        try (MessageQueue queue = Ipc.openQueue(args[0])) {
            PeerMain.ready();
            ByteBuffer buffer = ByteBuffer.allocateDirect(queue.maxMessageSize());
            CRC32 crc = new CRC32();
            long i = 0;
            for (; count < 0 || i < count; i++) {
                PeerMain.say("RECEIVING " + i);
                buffer.clear();
                Received r = queue.receive(buffer);
                buffer.flip();
                crc.reset();
                crc.update(buffer);
                PeerMain.say("GOT " + i + " " + r.length() + " " + r.priority() + " " + crc.getValue());
            }
            PeerMain.say("RECEIVED " + i);
        }
    }

    /** The line this peer prints for message {@code i} with these bytes and priority. */
    public static String gotLine(long i, byte[] message, int priority) {
        CRC32 crc = new CRC32();
        crc.update(message);
        return "GOT " + i + " " + message.length + " " + priority + " " + crc.getValue();
    }
}
