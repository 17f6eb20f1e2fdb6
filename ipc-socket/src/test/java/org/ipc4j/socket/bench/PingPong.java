package org.ipc4j.socket.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Round-trip latency and one-way throughput between two JVMs (not a test; run by hand or by
 * {@code src/test/sh/pingpong-compare.sh}, see README "Speed").
 *
 * <pre>
 * java -cp CP org.ipc4j.socket.bench.PingPong echo ADDRESS          # one JVM: echoes every message
 * java -cp CP org.ipc4j.socket.bench.PingPong ping ADDRESS N SIZE   # other JVM: prints p50/p99 in us
 * java -cp CP org.ipc4j.socket.bench.PingPong sink ADDRESS N        # receives; prints msg/s, MB/s, lost
 * java -cp CP org.ipc4j.socket.bench.PingPong flood ADDRESS N SIZE  # sends N messages
 * </pre>
 *
 * An ipc4j address ({@code unix:}, {@code tcp:}, {@code udp:}, {@code unixgram:}) goes through
 * {@link Ipc}. The same address behind {@code nio-} runs the same loop on plain blocking sockets:
 * {@code nio-unix:/path} (and the older {@code nio:/path}) and {@code nio-tcp://host:port} on a JDK
 * {@code SocketChannel} with the same 4-byte length prefix (TCP_NODELAY on), {@code
 * nio-udp://host:port?bind=host:port} on a connected JDK {@code DatagramChannel}, and {@code
 * nio-unixgram:/peer?bind=/mine} on a connected junixsocket {@code AFUNIXDatagramChannel} (the JDK 17
 * {@code DatagramChannel} has no Unix family). Stream echo and sink listen; datagram ends bind their
 * {@code bind} address and send to the other.
 *
 * <p>Datagrams have no end of stream: ping ends by sending a 1-byte datagram, and flood sends
 * 1-byte end markers after its N messages; the sink times from its first to its last full-size
 * message and reports how many of N never arrived.
 */
public final class PingPong {
    /** A datagram of this length ends an echo or a sink; measured messages are longer. */
    private static final int END_MARK = 1;
    /**
     * Every buffer keeps this many bytes free before the message, where the raw stream loop puts its
     * length prefix, so it writes header and payload with one write and no copy.
     */
    private static final int HEAD = 4;

    private PingPong() {
    }

    /** @param args mode, address, then the count and size (ping, flood) or count (sink) */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String address = args[1];
        switch (mode) {
            case "echo":
                echo(address);
                return;
            case "ping":
                ping(address, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                return;
            case "sink":
                sink(address, args.length > 2 ? Long.parseLong(args[2]) : -1);
                return;
            case "flood":
                flood(address, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                return;
            default:
                throw new IllegalArgumentException("mode must be echo, ping, sink or flood: mode=" + mode);
        }
    }

    private static void echo(String address) throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect((1 << 16) + 4);
        try (Link c = open(address, true)) {
            while (true) {
                b.clear().position(HEAD);
                int n = c.receive(b);
                if (n < 0 || (c.datagram() && n == END_MARK)) {
                    return;
                }
                c.send(b.limit(HEAD + n).position(HEAD));
            }
        }
    }

    private static void ping(String address, int n, int size) throws Exception {
        long[] rtt = new long[n];
        ByteBuffer msg = ByteBuffer.allocateDirect(size + 4);
        ByteBuffer in = ByteBuffer.allocateDirect(size + 4);
        try (Link c = open(address, false)) {
            for (int i = -n / 4; i < n; i++) {
                long t = System.nanoTime();
                c.send(msg.clear().limit(HEAD + size).position(HEAD));
                c.receive(in.clear().position(HEAD));
                if (i >= 0) {
                    rtt[i] = System.nanoTime() - t;
                }
            }
            if (c.datagram()) {
                c.send(msg.clear().limit(HEAD + END_MARK).position(HEAD));
            }
        }
        Arrays.sort(rtt);
        System.out.printf("%s size=%d n=%d p50=%.1fus p99=%.1fus%n", address, size, n,
                rtt[n / 2] / 1000.0, rtt[n * 99 / 100] / 1000.0);
    }

    private static void sink(String address, long expected) throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect((1 << 16) + 4);
        long count = 0;
        long bytes = 0;
        long start = 0;
        long last = 0;
        try (Link c = open(address, true)) {
            while (true) {
                int n = c.receive(b.clear().position(HEAD));
                if (n < 0 || (c.datagram() && n == END_MARK)) {
                    break;
                }
                last = System.nanoTime();
                if (count++ == 0) {
                    start = last;
                }
                bytes += n;
            }
        }
        double seconds = (last - start) / 1e9;
        System.out.printf("%s messages=%d %.0f msg/s %.1f MB/s lost=%s%n", address, count, count / seconds,
                bytes / seconds / 1e6, expected < 0 ? "?" : Long.toString(expected - count));
    }

    private static void flood(String address, int n, int size) throws Exception {
        ByteBuffer msg = ByteBuffer.allocateDirect(size + 4);
        try (Link c = open(address, false)) {
            for (int i = 0; i < n; i++) {
                c.send(msg.clear().limit(HEAD + size).position(HEAD));
            }
            if (c.datagram()) {
                // datagrams may be dropped: resend the end mark, paced 50 ms apart, until the
                // receiver has gone (a send then fails) or 20 have been sent
                for (int i = 0; i < 20; i++) {
                    LockSupport.parkNanos(50_000_000L);
                    try {
                        c.send(msg.clear().limit(HEAD + END_MARK).position(HEAD));
                    } catch (IOException gone) {
                        return;
                    }
                }
            }
        }
    }

    /** One end: ipc4j or the raw JDK loop; {@code serve} for the side that listens (echo, sink). */
    private static Link open(String address, boolean serve) throws IOException {
        if (address.startsWith("nio:")) {
            address = "nio-unix:" + address.substring(4);
        }
        if (!address.startsWith("nio-")) {
            boolean datagram = address.startsWith("udp:") || address.startsWith("unixgram:");
            if (datagram) {
                if (serve && address.startsWith("unixgram:")) {
                    // connect waits for the peer to bind, which the script starts after READY
                    System.out.println("READY");
                }
                Channel c = Ipc.connect(address);
                if (serve && address.startsWith("udp:")) {
                    System.out.println("READY");
                }
                return new LibraryLink(c, true);
            }
            if (!serve) {
                return new LibraryLink(Ipc.connect(address), false);
            }
            try (ChannelListener l = Ipc.listen(address)) {
                System.out.println("READY");
                return new LibraryLink(l.accept(), false);
            }
        }
        IpcAddress a = IpcAddress.parse(address.substring(4));
        switch (a.scheme()) {
            case "unix":
                return serve ? StreamLink.accept(StandardProtocolFamily.UNIX, unixListen(Path.of(a.name())))
                        : new StreamLink(SocketChannel.open(UnixDomainSocketAddress.of(a.name())));
            case "tcp": {
                InetSocketAddress at = new InetSocketAddress(a.host(), a.port());
                if (serve) {
                    return StreamLink.accept(StandardProtocolFamily.INET, at);
                }
                SocketChannel s = SocketChannel.open(at);
                s.setOption(StandardSocketOptions.TCP_NODELAY, true);
                return new StreamLink(s);
            }
            case "udp": {
                DatagramChannel d = DatagramChannel.open(StandardProtocolFamily.INET);
                IpcAddress mine = IpcAddress.parse("udp://" + a.string("bind").orElseThrow());
                d.bind(new InetSocketAddress(mine.host(), mine.port()));
                d.connect(new InetSocketAddress(a.host(), a.port()));
                if (serve) {
                    System.out.println("READY");
                }
                return new DatagramLink(d, true);
            }
            case "unixgram": {
                AFUNIXDatagramChannel d = AFUNIXDatagramChannel.open();
                // the same buffers ipc4j gives a 64 KiB unixgram channel
                d.setOption(StandardSocketOptions.SO_SNDBUF, (1 << 16) + 4096);
                d.setOption(StandardSocketOptions.SO_RCVBUF, (1 << 16) + 4096);
                Path mine = Path.of(a.string("bind").orElseThrow());
                Files.deleteIfExists(mine);
                d.bind(AFUNIXSocketAddress.of(mine));
                if (serve) {
                    // bound, so the other side (started after READY) connects at once; this side
                    // connects back to whoever sends the first datagram
                    System.out.println("READY");
                    return new DatagramLink(d, false);
                }
                d.connect(AFUNIXSocketAddress.of(Path.of(a.name())));
                return new DatagramLink(d, true);
            }
            default:
                throw new IllegalArgumentException("no raw loop for " + address);
        }
    }

    private static UnixDomainSocketAddress unixListen(Path p) throws IOException {
        Files.deleteIfExists(p);
        return UnixDomainSocketAddress.of(p);
    }

    /** What the loops need of an end: one implementation per run, so the call is inlined. */
    private interface Link extends AutoCloseable {
        /** Sends position..limit as one message; the {@link #HEAD} bytes before position are free. */
        void send(ByteBuffer message) throws IOException;

        /** Receives one message at position (with {@link #HEAD} free bytes before it); its length, or -1 at end of stream. */
        int receive(ByteBuffer into) throws IOException;

        boolean datagram();

        @Override
        void close() throws IOException;
    }

    private static final class LibraryLink implements Link {
        private final Channel channel;
        private final boolean datagram;

        LibraryLink(Channel channel, boolean datagram) {
            this.channel = channel;
            this.datagram = datagram;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            channel.send(message);
        }

        @Override
        public int receive(ByteBuffer into) throws IOException {
            return channel.receive(into);
        }

        @Override
        public boolean datagram() {
            return datagram;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Blocking JDK stream socket, 4-byte big-endian length prefix; header and payload written with one write. */
    private static final class StreamLink implements Link {
        private final SocketChannel socket;

        StreamLink(SocketChannel socket) {
            this.socket = socket;
        }

        static StreamLink accept(StandardProtocolFamily family, java.net.SocketAddress at) throws IOException {
            try (ServerSocketChannel s = ServerSocketChannel.open(family)) {
                if (family != StandardProtocolFamily.UNIX) {
                    s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                }
                s.bind(at);
                System.out.println("READY");
                SocketChannel c = s.accept();
                if (family != StandardProtocolFamily.UNIX) {
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                return new StreamLink(c);
            }
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            int start = message.position() - HEAD;
            message.putInt(start, message.remaining()).position(start);
            while (message.hasRemaining()) {
                socket.write(message);
            }
        }

        @Override
        public int receive(ByteBuffer into) throws IOException {
            int start = into.position();
            into.position(start - HEAD).limit(start);
            while (into.hasRemaining()) {
                if (socket.read(into) < 0) {
                    return -1;
                }
            }
            int len = into.getInt(start - HEAD);
            into.limit(start + len);
            while (into.hasRemaining()) {
                if (socket.read(into) < 0) {
                    return -1;
                }
            }
            return len;
        }

        @Override
        public boolean datagram() {
            return false;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Blocking, connected datagram socket: one write is one datagram, one read one datagram. */
    private static final class DatagramLink implements Link {
        private final DatagramChannel socket;
        /** False for a serving end until the first datagram names its peer. */
        private boolean connected;

        DatagramLink(DatagramChannel socket, boolean connected) {
            this.socket = socket;
            this.connected = connected;
        }

        @Override
        public void send(ByteBuffer message) throws IOException {
            socket.write(message);
        }

        @Override
        public int receive(ByteBuffer into) throws IOException {
            if (!connected) {
                int start = into.position();
                socket.connect(socket.receive(into));
                connected = true;
                return into.position() - start;
            }
            while (true) {
                try {
                    return socket.read(into);
                } catch (PortUnreachableException bounced) {
                    // an earlier datagram found nobody bound yet: UDP promises nothing, read on
                }
            }
        }

        @Override
        public boolean datagram() {
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
