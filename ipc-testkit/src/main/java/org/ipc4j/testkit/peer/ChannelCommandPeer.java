package org.ipc4j.testkit.peer;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.IpcTimeoutException;

/**
 * Does what the test tells it, one line at a time, and answers with one line each:
 * <ul>
 *   <li>{@code SEND <seq> <size>}: sends {@link ChannelPayload} message (stream 0, {@code seq}) of
 *       {@code size} bytes ({@code max} for {@code maxMessageSize()}); answers {@code SENT <seq>} or
 *       {@code ERROR <exception>}</li>
 *   <li>{@code RECV <millis>}: receives with that timeout; answers {@code GOT len=<n> crc=<hex>},
 *       {@code EOF}, {@code TIMEOUT} or {@code ERROR <exception>}</li>
 *   <li>{@code DRAIN <perStream> <sizes>}: receives until end of stream, checking the messages as
 *       {@link SinkPeer} does; answers {@code RECEIVED <summary>}</li>
 *   <li>{@code CLOSE}: closes the channel and exits 0 (so does the end of the test's input)</li>
 * </ul>
 */
public final class ChannelCommandPeer {
    private ChannelCommandPeer() {
    }

    /** @param args the address to connect to */
    public static void main(String[] args) throws Exception {
        ChannelPeer.main(args, ChannelCommandPeer::run);
    }

    /** The program; takes no arguments. */
    public static void run(Channel channel, List<String> args, ChannelPeer.Io io) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, channel.maxMessageSize()));
        while (true) {
            String line;
            try {
                line = io.nextLine(Duration.ofMinutes(10));
            } catch (IllegalStateException e) {
                return;
            }
            String[] w = line.trim().split("\\s+");
            try {
                switch (w[0]) {
                    case "SEND" -> {
                        long seq = Long.parseLong(w[1]);
                        int size = ChannelPayload.parseSizes(w[2], channel.maxMessageSize())[0];
                        buffer.clear();
                        ChannelPayload.fill(buffer, 0, seq, size);
                        buffer.flip();
                        channel.send(buffer);
                        io.say("SENT " + seq);
                    }
                    case "RECV" -> {
                        buffer.clear();
                        try {
                            int n = channel.receive(buffer, Duration.ofMillis(Long.parseLong(w[1])));
                            if (n < 0) {
                                io.say("EOF");
                            } else {
                                buffer.flip();
                                io.say("GOT len=" + n + " crc=" + Long.toHexString(ChannelPayload.crc(buffer)));
                            }
                        } catch (IpcTimeoutException e) {
                            io.say("TIMEOUT");
                        }
                    }
                    case "DRAIN" -> {
                        ChannelTally tally = new ChannelTally(ChannelPayload.parseSizes(w[2], channel.maxMessageSize()));
                        while (true) {
                            buffer.clear();
                            if (channel.receive(buffer) < 0) {
                                break;
                            }
                            tally.accept(buffer.flip());
                        }
                        io.say("RECEIVED " + tally.summary(Long.parseLong(w[1]), 1));
                    }
                    case "CLOSE" -> {
                        return;
                    }
                    default -> io.say("ERROR unknown command '" + line + "'; accepted: SEND seq size, RECV millis, DRAIN perStream sizes, CLOSE");
                }
            } catch (InterruptedIOException e) {
                throw e;
            } catch (Exception e) {
                io.say("ERROR " + e);
            }
        }
    }
}
