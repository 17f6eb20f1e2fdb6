package org.ipc4j.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerProcess;
import org.junit.jupiter.api.Test;

/** Other programs on the other side: socat in raw framing, and a Python peer speaking our framing. */
@SuppressWarnings("try")
class InteropTest {
    static final Duration T = Duration.ofSeconds(20);
    static final String PYTHON = "/usr/bin/python3";

    static void requireSocat() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is not installed (apt-get install -y socat)");
    }

    /** Reads raw bytes until {@code expected} has arrived. */
    static String receiveRaw(Channel c, int expected) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(expected);
        while (b.hasRemaining()) {
            int n = c.receive(b, T);
            assertTrue(n > 0, "end of stream after " + b.position() + " bytes");
        }
        return new String(b.array(), UTF_8);
    }

    @Test
    void socatIsAClientOfARawUnixListenerAndARawTcpListener() throws Exception {
        requireSocat();
        Path path = TestPaths.path("so");
        for (String[] spec : new String[][] {
                {"unix:" + path + "?framing=raw", "UNIX-CONNECT:" + path},
                {"tcp://127.0.0.1:0?framing=raw", null}}) {
            try (ChannelListener l = Ipc.listen(spec[0])) {
                String target = spec[1] != null ? spec[1] : "TCP:127.0.0.1:" + StreamSocketTest.port(l);
                // socat sends a line from its stdin, prints what comes back, and exits at end of stream
                try (PeerProcess socat = PeerProcess.start("socat", List.of("/usr/bin/socat", "-t", "5", "STDIO", target))) {
                    try (Channel c = l.accept(T)) {
                        socat.sendLine("hello from socat");
                        assertEquals("hello from socat\n", receiveRaw(c, 17));
                        c.send(ByteBuffer.wrap("hello from java\n".getBytes(UTF_8)));
                        socat.awaitLine("hello from java"::equals, T);
                    }
                    socat.closeInput();
                    assertEquals(0, socat.awaitExit(T));
                }
            }
        }
    }

    @Test
    void socatIsAUdpPeer() throws Exception {
        requireSocat();
        int javaPort = DatagramSocketTest.freeUdpPort();
        int socatPort = DatagramSocketTest.freeUdpPort();
        try (PeerProcess socat = PeerProcess.start("socat", List.of("/usr/bin/socat", "STDIO",
                "UDP:127.0.0.1:" + javaPort + ",bind=127.0.0.1:" + socatPort));
             Channel c = Ipc.connect("udp://127.0.0.1:" + socatPort + "?bind=127.0.0.1:" + javaPort)) {
            socat.sendLine("datagram from socat");
            ByteBuffer b = ByteBuffer.allocate(100);
            int n = c.receive(b, T);
            assertEquals("datagram from socat\n", new String(b.array(), 0, n, UTF_8));
            c.send(ByteBuffer.wrap("datagram from java\n".getBytes(UTF_8)));
            socat.awaitLine("datagram from java"::equals, T);
        }
    }

    static final String PYTHON_PEER = String.join("\n",
            "import socket, struct, sys",
            "kind, where = sys.argv[1], sys.argv[2]",
            "if kind == 'unix':",
            "    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(where)",
            "else:",
            "    host, port = where.rsplit(':', 1); s = socket.create_connection((host, int(port)))",
            "def read_exact(n):",
            "    b = b''",
            "    while len(b) < n:",
            "        c = s.recv(n - len(b))",
            "        if not c: raise EOFError('end of stream after %d of %d bytes' % (len(b), n))",
            "        b += c",
            "    return b",
            "print('READY', flush=True)",
            "count = 0",
            "while True:",
            "    head = s.recv(4, socket.MSG_WAITALL)",
            "    if not head: break",
            "    (length,) = struct.unpack('>i', head)",
            "    body = read_exact(length)",
            "    s.sendall(struct.pack('>i', length) + body[::-1])",
            "    count += 1",
            "print('ECHOED', count, flush=True)",
            "");

    @Test
    void pythonPeerSpeaksTheLengthPrefixedFraming() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
        Path script = TestPaths.dir().resolve("peer.py");
        Files.writeString(script, PYTHON_PEER);
        Path path = TestPaths.path("py");
        for (String address : new String[] {"unix:" + path, "tcp://127.0.0.1:0"}) {
            try (ChannelListener l = Ipc.listen(address)) {
                String where = address.startsWith("unix") ? path.toString() : "127.0.0.1:" + StreamSocketTest.port(l);
                String kind = address.startsWith("unix") ? "unix" : "tcp";
                try (PeerProcess py = PeerProcess.start("python", List.of(PYTHON, script.toString(), kind, where))) {
                    try (Channel c = l.accept(T)) {
                        py.awaitReady(T);
                        for (String m : new String[] {"abc", "", "x".repeat(100_000) + "y"}) {
                            c.send(ByteBuffer.wrap(m.getBytes(UTF_8)));
                            String back = new String(c.receive(), UTF_8);
                            assertEquals(new StringBuilder(m).reverse().toString(), back);
                        }
                    }
                    py.awaitLine("ECHOED 3"::equals, T);
                    assertEquals(0, py.awaitExit(T));
                }
            }
        }
    }
}
