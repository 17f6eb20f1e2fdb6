package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts and checks the {@link ChannelPayload} messages one side sent or received: how many, a
 * checksum of their bytes (the sum of each message's CRC-32 and length, so independent of the order
 * between streams), and what went wrong: messages lost, duplicated, out of order within their stream,
 * or corrupt (wrong length, wrong bytes, interleaved).
 *
 * <p>Messages shorter than {@link ChannelPayload#HEADER} carry no header; they are taken as message
 * {@code n} of stream 0 where {@code n} is the number of messages accepted before, which is right
 * for the single-stream, ordered exchanges that use them. Thread-safe.
 */
public final class ChannelTally {
    private final int[] sizes;
    private final Map<Integer, BitSet> seen = new HashMap<>();
    private final Map<Integer, Long> last = new HashMap<>();
    private long count;
    private long checksum;
    private long duplicated;
    private long outOfOrder;
    private long corrupt;
    private String first = "-";

    /** @param sizes the shared size list, from {@link ChannelPayload#parseSizes} */
    public ChannelTally(int[] sizes) {
        this.sizes = sizes.clone();
    }

    /** Counts and checks one message, from its position to its limit; the buffer is not moved. */
    public synchronized void accept(ByteBuffer message) {
        long index = count++;
        int len = message.remaining();
        checksum += ChannelPayload.crc(message) + ((long) len << 32);
        int stream;
        long seq;
        if (len >= ChannelPayload.HEADER) {
            stream = message.getInt(message.position());
            seq = message.getLong(message.position() + 4);
            if (stream < 0 || stream > 1024 || seq < 0 || seq > Integer.MAX_VALUE) {
                problem("message #" + index + " of length " + len + " has a garbled header (stream " + stream
                        + ", seq " + seq + ")");
                corrupt++;
                return;
            }
        } else {
            stream = 0;
            seq = index;
        }
        String bad = ChannelPayload.mismatch(message, stream, seq, ChannelPayload.sizeOf(sizes, seq));
        if (bad != null) {
            problem("message #" + index + ": " + bad);
            corrupt++;
            return;
        }
        BitSet s = seen.computeIfAbsent(stream, k -> new BitSet());
        if (s.get((int) seq)) {
            problem("message #" + index + ": stream " + stream + " seq " + seq + " arrived twice");
            duplicated++;
            return;
        }
        s.set((int) seq);
        long expected = last.getOrDefault(stream, -1L) + 1;
        if (seq != expected) {
            problem("message #" + index + ": stream " + stream + " seq " + seq + " arrived when seq " + expected
                    + " was next");
            outOfOrder++;
        }
        last.put(stream, seq);
    }

    private void problem(String what) {
        if (first.equals("-")) {
            first = what.replace(' ', '_');
        }
    }

    /** Messages accepted. */
    public synchronized long count() {
        return count;
    }

    /** The checksum of the messages accepted. */
    public synchronized long checksum() {
        return checksum;
    }

    /**
     * One line of {@code key=value} pairs: count, checksum (hex), lost, duplicated, outOfOrder,
     * corrupt, first (the first problem, spaces replaced by '_', or '-').
     *
     * @param perStream messages each stream was to deliver, for the lost count
     * @param streams the number of streams, numbered from 0
     */
    public synchronized String summary(long perStream, int streams) {
        long lost = 0;
        for (int s = 0; s < streams; s++) {
            BitSet b = seen.get(s);
            lost += perStream - (b == null ? 0 : b.get(0, (int) perStream).cardinality());
        }
        return "count=" + count + " checksum=" + Long.toHexString(checksum) + " lost=" + lost
                + " duplicated=" + duplicated + " outOfOrder=" + outOfOrder + " corrupt=" + corrupt + " first=" + first;
    }

    /** The {@code key=value} pairs of a line such as {@link #summary}; other words are ignored. */
    public static Map<String, String> parse(String line) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                map.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return map;
    }
}
