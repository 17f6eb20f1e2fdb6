package org.ipc4j.socket.peer;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;

/**
 * A peer for the socket tests, run in a peer JVM (possibly in another network namespace or as
 * another user).
 * <ul>
 *   <li>{@code listen ADDRESS}: prints {@code LISTENING <bound address>}, accepts one channel and
 *       echoes every message until end of stream, then prints {@code ECHOED <n>};</li>
 *   <li>{@code connect ADDRESS N}: connects, sends N numbered messages, checks each echo, prints
 *       {@code OK <n>}; a failure to connect or a refusal prints {@code FAILED <exception> <message>};</li>
 *   <li>{@code udp ADDRESS N}: opens the datagram channel, prints READY, answers N pings with pongs.</li>
 * </ul>
 */
public final class NetPeer {
    private NetPeer() {
    }

    /** @param args the mode and its arguments, as above */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "listen" -> listen(args[1]);
            case "connect" -> connect(args[1], Integer.parseInt(args[2]));
            case "udp" -> udp(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void listen(String address) throws Exception {
        try (ChannelListener l = Ipc.listen(address)) {
            PeerMain.say("LISTENING " + l.address());
            try (Channel c = l.accept(Duration.ofSeconds(60))) {
                ByteBuffer b = ByteBuffer.allocate(c.maxMessageSize());
                long n = 0;
                while (true) {
                    b.clear();
                    if (c.receive(b) < 0) {
                        break;
                    }
                    c.send(b.flip());
                    n++;
                }
                PeerMain.say("ECHOED " + n);
            }
        }
    }

    private static void connect(String address, int count) throws Exception {
        Channel c;
        try {
            c = Ipc.connect(address);
        } catch (Exception e) {
            PeerMain.say("FAILED " + e.getClass().getName() + " " + e.getMessage());
            return;
        }
        try (c) {
            PeerMain.say("CONNECTED");
            for (int i = 0; i < count; i++) {
                String m = "message " + i;
                try {
                    c.send(ByteBuffer.wrap(m.getBytes(UTF_8)));
                    ByteBuffer b = ByteBuffer.allocate(1000);
                    int n = c.receive(b, Duration.ofSeconds(20));
                    if (n < 0) {
                        PeerMain.say("FAILED end-of-stream after " + i + " messages");
                        return;
                    }
                    String back = new String(b.array(), 0, n, UTF_8);
                    if (!back.equals(m)) {
                        throw new AssertionError("sent '" + m + "', got back '" + back + "'");
                    }
                } catch (java.io.IOException e) {
                    PeerMain.say("FAILED " + e.getClass().getName() + " " + e.getMessage());
                    return;
                }
            }
            PeerMain.say("OK " + count);
        }
    }

    private static void udp(String address, int count) throws Exception {
        try (Channel c = Ipc.connect(address)) {
            PeerMain.ready();
            ByteBuffer b = ByteBuffer.allocate(c.maxMessageSize());
            for (int i = 0; i < count; i++) {
                b.clear();
                int n = c.receive(b, Duration.ofSeconds(60));
                String ping = new String(b.array(), 0, n, UTF_8);
                c.send(ByteBuffer.wrap(ping.replace("ping", "pong").getBytes(UTF_8)));
            }
            PeerMain.say("ANSWERED " + count);
        }
    }
}
