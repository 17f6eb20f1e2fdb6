package org.ipc4j.tools;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's baseline: plain JDK NIO blocking socket channels (TCP loopback and Unix domain),
 * fixed-size messages echoed by the peer, no framing and no ipc4j code in between.
 */
final class NioBaseline {
    private NioBaseline() {
    }

    /** Peer side: connects to {@code address} and echoes {@code size}-byte messages until end of stream. */
    static void echo(String kind, String address) throws IOException {
        String[] f = address.split("\\|");
        int size = Integer.parseInt(f[1]);
        try (SocketChannel ch = kind.equals("jdk-nio-tcp")
                ? SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(f[0])))
                : SocketChannel.open(UnixDomainSocketAddress.of(f[0]))) {
            if (kind.equals("jdk-nio-tcp")) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, size));
            while (true) {
                b.clear().limit(size);
                if (!readFully(ch, b)) {
                    return;
                }
                b.flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
    }

    private static boolean readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                if (b.position() == 0) {
                    return false;
                }
                throw new EOFException("end of stream inside a message");
            }
        }
        return true;
    }

    /** Parent side: {@code warmup + count} round trips of {@code size} bytes (at least 1). */
    static Runner.Result run(PeerLink peer, String kind, Path dir, long warmup, long count, int size) {
        int n = Math.max(1, size);
        Path socket = dir.resolve("nio.sock");
        String address = "-";
        try (ServerSocketChannel server = kind.equals("jdk-nio-tcp")
                ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                : ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            SocketAddress bind = kind.equals("jdk-nio-tcp")
                    ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : UnixDomainSocketAddress.of(socket);
            server.bind(bind);
            String where = kind.equals("jdk-nio-tcp")
                    ? Integer.toString(((InetSocketAddress) server.getLocalAddress()).getPort()) : socket.toString();
            address = kind.equals("jdk-nio-tcp") ? "tcp://127.0.0.1:" + where : "unix:" + where;
            peer.send("RAW", kind, where + "|" + n);
            Histogram h = new Histogram(3_600_000_000_000L, 3);
            CRC32 sent = new CRC32();
            CRC32 back = new CRC32();
            long start = 0;
            try (SocketChannel ch = server.accept()) {
                if (kind.equals("jdk-nio-tcp")) {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                ByteBuffer out = ByteBuffer.allocateDirect(n);
                ByteBuffer in = ByteBuffer.allocateDirect(n);
                byte[] data = new byte[n];
                SplittableRandom random = new SplittableRandom(7);
                for (long i = 0; i < warmup + count; i++) {
                    if (i == warmup) {
                        start = System.nanoTime();
                    }
                    for (int j = 0; j < n; j++) {
                        data[j] = (byte) random.nextInt(256);
                    }
                    sent.update(data);
                    out.clear();
                    out.put(data).flip();
                    in.clear();
                    long t0 = System.nanoTime();
                    while (out.hasRemaining()) {
                        ch.write(out);
                    }
                    if (!readFully(ch, in)) {
                        throw new EOFException("peer closed after " + i + " round trips");
                    }
                    long t1 = System.nanoTime();
                    if (i >= warmup) {
                        h.recordValue(Math.max(1, t1 - t0));
                    }
                    in.flip();
                    back.update(in);
                }
            }
            long elapsed = System.nanoTime() - start;
            peer.await("DONE", java.time.Duration.ofSeconds(30));
            boolean ok = sent.getValue() == back.getValue();
            return new Runner.Result(kind, address, count, n, ok, ok ? "ok" : "checksum mismatch", h, elapsed);
        } catch (Exception e) {
            return new Runner.Result(kind, address, 0, n, false, "failed: " + Util.reason(e), null, 0);
        } finally {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
