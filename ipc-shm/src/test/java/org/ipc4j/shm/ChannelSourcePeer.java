package org.ipc4j.shm;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;

/**
 * Connects to args[0] and sends args[1] numbered messages (or forever if -1), each
 * {@code [seq:long][len:int][bytes][crc32:long]} with a length varying by seq; then closes.
 */
public final class ChannelSourcePeer {
    private ChannelSourcePeer() {
    }

    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[1]);
        try (Channel channel = Ipc.connect(args[0])) {
            PeerMain.ready();
            ByteBuffer buffer = ByteBuffer.allocate(channel.maxMessageSize());
            for (long seq = 0; count < 0 || seq < count; seq++) {
                fill(buffer, seq, channel.maxMessageSize());
                channel.send(buffer);
            }
        }
        PeerMain.say("SENT " + count);
    }

    static void fill(ByteBuffer buffer, long seq, int max) {
        int len = (int) ((seq * 7919) % (max - 20 + 1));
        buffer.clear();
        buffer.putLong(seq).putInt(len);
        CRC32 crc = new CRC32();
        for (int i = 0; i < len; i++) {
            byte b = (byte) (seq + i);
            buffer.put(b);
            crc.update(b);
        }
        buffer.putLong(crc.getValue());
        buffer.flip();
    }

    /** The seq of a received message; throws if it is corrupt. */
    static long check(ByteBuffer m) {
        long seq = m.getLong();
        int len = m.getInt();
        if (len < 0 || m.remaining() != len + 8) {
            throw new AssertionError("bad length " + len + " with " + m.remaining() + " bytes left, seq=" + seq);
        }
        CRC32 crc = new CRC32();
        for (int i = 0; i < len; i++) {
            byte b = m.get();
            if (b != (byte) (seq + i)) {
                throw new AssertionError("bad byte " + i + " of seq=" + seq);
            }
            crc.update(b);
        }
        if (m.getLong() != crc.getValue()) {
            throw new AssertionError("bad checksum of seq=" + seq);
        }
        return seq;
    }
}
