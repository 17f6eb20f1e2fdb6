package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.ipc4j.Channel;

/**
 * Sends {@link ChannelPayload} messages, then says {@code SENT <summary>} (see
 * {@link ChannelTally#summary}).
 *
 * <p>Arguments after the address: {@code count sizes streams then}: each of {@code streams} threads
 * sends {@code count} messages of its own stream with sizes from the list {@code sizes}
 * ({@link ChannelPayload#parseSizes}); then, if {@code then} is {@code close}, the peer closes the
 * channel and exits 0; if it is {@code hold}, the peer keeps the channel open until the test sends a
 * line (or kills it).
 */
public final class SourcePeer {
    private SourcePeer() {
    }

    /** @param args the address, then count, sizes, streams, close|hold */
    public static void main(String[] args) throws Exception {
        ChannelPeer.main(args, SourcePeer::run);
    }

    /** The program; see the class description for the arguments. */
    public static void run(Channel channel, List<String> args, ChannelPeer.Io io) throws Exception {
        if (args.size() != 4) {
            throw new IllegalArgumentException("SourcePeer needs: count sizes streams close|hold; got " + args);
        }
        long count = Long.parseLong(args.get(0));
        int[] sizes = ChannelPayload.parseSizes(args.get(1), channel.maxMessageSize());
        int streams = Integer.parseInt(args.get(2));
        boolean hold = args.get(3).equals("hold");
        ChannelTally sent = send(channel, count, sizes, streams);
        io.say("SENT " + sent.summary(count, streams));
        if (hold) {
            io.nextLine(Duration.ofMinutes(10));
        }
    }

    /**
     * Sends {@code count} messages on each of {@code streams} threads and waits for them.
     *
     * @return the tally of what was sent
     * @throws Exception the first failure of a sending thread
     */
    public static ChannelTally send(Channel channel, long count, int[] sizes, int streams) throws Exception {
        ChannelTally tally = new ChannelTally(sizes);
        if (streams == 1) {
            sendStream(channel, 0, count, sizes, tally);
            return tally;
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            int stream = s;
            Thread t = new Thread(() -> {
                try {
                    sendStream(channel, stream, count, sizes, tally);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "sender-" + s);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return tally;
    }

    private static void sendStream(Channel channel, int stream, long count, int[] sizes, ChannelTally tally)
            throws Exception {
        int largest = 0;
        for (int s : sizes) {
            largest = Math.max(largest, s);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, largest));
        for (long seq = 0; seq < count; seq++) {
            buffer.clear();
            ChannelPayload.fill(buffer, stream, seq, ChannelPayload.sizeOf(sizes, seq));
            buffer.flip();
            tally.accept(buffer);
            channel.send(buffer);
        }
    }
}
