package org.ipc4j.socket.bench;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;

/**
 * Round-trip latency of 64-byte messages between two JVMs (not a test; run by hand, see README).
 *
 * <pre>
 * java -cp CP org.ipc4j.socket.bench.PingPong echo ADDRESS        # one JVM: listens and echoes
 * java -cp CP org.ipc4j.socket.bench.PingPong ping ADDRESS N SIZE # other JVM: prints p50/p99 in us
 * java -cp CP org.ipc4j.socket.bench.PingPong sink ADDRESS           # receives until end of stream
 * java -cp CP org.ipc4j.socket.bench.PingPong flood ADDRESS N SIZE   # sends N messages; sink prints msg/s, MB/s
 * </pre>
 * ADDRESS {@code nio:/path} runs the same with plain blocking JDK NIO and a 4-byte length prefix.
 */
public final class PingPong {
    private PingPong() {
    }

    /** @param args mode, address, then for ping the count and size */
    public static void main(String[] args) throws Exception {
        boolean nio = args[1].startsWith("nio:");
        if (args[0].equals("sink")) {
            sink(args[1], nio);
            return;
        }
        if (args[0].equals("flood")) {
            flood(args[1], nio, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        if (args[0].equals("echo")) {
            if (nio) {
                Path p = Path.of(args[1].substring(4));
                Files.deleteIfExists(p);
                try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    s.bind(UnixDomainSocketAddress.of(p));
                    System.out.println("READY");
                    try (SocketChannel c = s.accept()) {
                        ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
                        while (readFrame(c, b)) {
                            b.flip();
                            while (b.hasRemaining()) {
                                c.write(b);
                            }
                        }
                    }
                }
                return;
            }
            try (ChannelListener l = Ipc.listen(args[1])) {
                System.out.println("READY");
                try (Channel c = l.accept()) {
                    ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
                    while (true) {
                        b.clear();
                        if (c.receive(b) < 0) {
                            return;
                        }
                        c.send(b.flip());
                    }
                }
            }
        }
        int n = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        long[] rtt = new long[n];
        ByteBuffer msg = ByteBuffer.allocateDirect(size + 4);
        ByteBuffer in = ByteBuffer.allocateDirect(size + 4);
        if (nio) {
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(args[1].substring(4)))) {
                for (int i = -n / 4; i < n; i++) {
                    long t = System.nanoTime();
                    msg.clear();
                    msg.putInt(size).position(size + 4).flip();
                    while (msg.hasRemaining()) {
                        c.write(msg);
                    }
                    readFrame(c, in);
                    if (i >= 0) {
                        rtt[i] = System.nanoTime() - t;
                    }
                }
            }
        } else {
            try (Channel c = Ipc.connect(args[1])) {
                for (int i = -n / 4; i < n; i++) {
                    long t = System.nanoTime();
                    msg.clear().limit(size);
                    c.send(msg);
                    in.clear();
                    c.receive(in);
                    if (i >= 0) {
                        rtt[i] = System.nanoTime() - t;
                    }
                }
            }
        }
        Arrays.sort(rtt);
        System.out.printf("%s size=%d n=%d p50=%.1fus p99=%.1fus%n", args[1], size, n,
                rtt[n / 2] / 1000.0, rtt[n * 99 / 100] / 1000.0);
    }

    private static void sink(String address, boolean nio) throws Exception {
        ByteBuffer b = ByteBuffer.allocateDirect((1 << 16) + 4);
        long count = 0;
        long bytes = 0;
        long start = 0;
        if (nio) {
            Path p = Path.of(address.substring(4));
            Files.deleteIfExists(p);
            try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                s.bind(UnixDomainSocketAddress.of(p));
                System.out.println("READY");
                try (SocketChannel c = s.accept()) {
                    while (readFrame(c, b)) {
                        if (count++ == 0) {
                            start = System.nanoTime();
                        }
                        bytes += b.position() - 4;
                    }
                }
            }
        } else {
            try (ChannelListener l = Ipc.listen(address); Channel c = l.accept()) {
                System.out.println("READY");
                while (true) {
                    b.clear();
                    int n = c.receive(b);
                    if (n < 0) {
                        break;
                    }
                    if (count++ == 0) {
                        start = System.nanoTime();
                    }
                    bytes += n;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s messages=%d %.0f msg/s %.1f MB/s%n", address, count, count / seconds,
                bytes / seconds / 1e6);
    }

    private static void flood(String address, boolean nio, int n, int size) throws Exception {
        ByteBuffer msg = ByteBuffer.allocateDirect(size + 4);
        if (nio) {
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(address.substring(4)))) {
                for (int i = 0; i < n; i++) {
                    msg.clear();
                    msg.putInt(size).position(size + 4).flip();
                    while (msg.hasRemaining()) {
                        c.write(msg);
                    }
                }
            }
            return;
        }
        try (Channel c = Ipc.connect(address)) {
            for (int i = 0; i < n; i++) {
                msg.clear().limit(size);
                c.send(msg);
            }
        }
    }

    private static boolean readFrame(SocketChannel c, ByteBuffer b) throws java.io.IOException {
        b.clear().limit(4);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        int len = b.getInt(0);
        b.limit(4 + len);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return false;
            }
        }
        return true;
    }
}
