package org.ipc4j.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.Test;

/** UDP and Unix datagram channels in one JVM. */
@SuppressWarnings("try")
class DatagramSocketTest {
    static final Duration T = Duration.ofSeconds(10);

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Opens both ends concurrently (a Unix datagram end waits for the other to bind). */
    static Channel[] open(String a, String b) throws Exception {
        CompletableFuture<Channel> first = CompletableFuture.supplyAsync(() -> {
            try {
                return Ipc.connect(a);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, ThreadPerTaskExecutor.INSTANCE);
        Channel second = Ipc.connect(b);
        return new Channel[] {first.get(10, TimeUnit.SECONDS), second};
    }

    static Channel[] udpPair(String host) throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        String h = host.contains(":") ? "[" + host + "]" : host;
        return open("udp://" + h + ":" + pb + "?bind=" + h + ":" + pa, "udp://" + h + ":" + pa + "?bind=" + h + ":" + pb);
    }

    static Channel[] unixgramPair() throws Exception {
        Path a = TestPaths.path("ga");
        Path b = TestPaths.path("gb");
        return open("unixgram:" + b + "?bind=" + a, "unixgram:" + a + "?bind=" + b);
    }

    static void exchange(Channel x, Channel y, int large) throws IOException {
        x.send(ByteBuffer.wrap("ping".getBytes(UTF_8)));
        assertEquals("ping", new String(y.receive(), UTF_8));
        if (x.address().startsWith("udp")) {
            y.send(ByteBuffer.allocate(0));
            assertEquals(0, x.receive().length);
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.send(ByteBuffer.allocate(0)));
            assertTrue(e.getMessage().contains("cannot send an empty datagram"), e.getMessage());
        }
        y.send(ByteBuffer.allocate(large));
        assertEquals(large, x.receive(ByteBuffer.allocate(large), T));
    }

    @Test
    void udpOverIpv4AndIpv6KeepsBoundariesAndClaimsNoReliability() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            Channel[] p = udpPair(host);
            try (Channel a = p[0]; Channel b = p[1]) {
                exchange(a, b, SocketProvider.UDP_MAX);
                assertEquals(SocketProvider.UDP_MAX, a.maxMessageSize());
                assertFalse(a.properties().contains(Channel.Property.RELIABLE));
                assertFalse(a.properties().contains(Channel.Property.ORDERED));
                assertTrue(a.properties().contains(Channel.Property.CROSS_HOST));
            }
        }
    }

    @Test
    void udpRefusesPayloadsOver65507() throws Exception {
        Channel[] p = udpPair("127.0.0.1");
        try (Channel a = p[0]; Channel b = p[1]) {
            ByteBuffer big = ByteBuffer.allocate(65_508);
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> a.send(big));
            assertTrue(e.getMessage().contains("size=65508 exceeds maxMessageSize=65507"), e.getMessage());
            assertEquals(0, big.position());
        }
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> Ipc.connect("udp://127.0.0.1:9?maxMessageSize=70000"));
        assertTrue(e.getMessage().contains("outside 0..65507"), e.getMessage());
    }

    @Test
    void aDatagramTooLargeForTheBufferIsKeptForTheNextReceive() throws Exception {
        Channel[][] pairs = {udpPair("127.0.0.1"), unixgramPair()};
        for (Channel[] p : pairs) {
            try (Channel a = p[0]; Channel b = p[1]) {
                byte[] big = new byte[100];
                Arrays.fill(big, (byte) 7);
                a.send(ByteBuffer.wrap(big));
                a.send(ByteBuffer.wrap("next".getBytes(UTF_8)));
                ByteBuffer small = ByteBuffer.allocate(10);
                MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> b.receive(small, T));
                assertFalse(e.discarded(), e.getMessage());
                assertEquals(100, e.size());
                assertEquals(10, e.limit());
                assertEquals(0, small.position(), "nothing written into the refused buffer");
                assertTrue(e.getMessage().contains(b.address()), e.getMessage());
                assertArrayEquals(big, b.receive(), "the kept datagram, whole");
                assertEquals("next", new String(b.receive(), UTF_8));
            }
        }
    }

    @Test
    void aDatagramOverTheReceiversMaximumIsDiscardedAndTheNextArrives() throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        Path ga = TestPaths.path("da");
        Path gb = TestPaths.path("db");
        Channel[][] pairs = {
            open("udp://127.0.0.1:" + pb + "?bind=127.0.0.1:" + pa, "udp://127.0.0.1:" + pa + "?bind=127.0.0.1:" + pb
                    + "&maxMessageSize=100"),
            open("unixgram:" + gb + "?bind=" + ga, "unixgram:" + ga + "?bind=" + gb + "&maxMessageSize=100")};
        for (Channel[] p : pairs) {
            try (Channel a = p[0]; Channel b = p[1]) {
                // a direct buffer with room for the maximum is read into straight (exactly the maximum: the
                // kernel tells the cut datagram's length), a heap one through a copy
                for (ByteBuffer into : new ByteBuffer[] {ByteBuffer.allocateDirect(1000), ByteBuffer.allocateDirect(100),
                        ByteBuffer.allocate(1000)}) {
                    a.send(ByteBuffer.allocate(200));
                    a.send(ByteBuffer.wrap("next".getBytes(UTF_8)));
                    // untimed: the blocking read; the datagrams are already there
                    MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> b.receive(into));
                    assertTrue(e.discarded(), e.getMessage());
                    assertEquals(0, into.position(), "nothing counted into the buffer");
                    assertEquals(4, b.receive(into, T));
                    assertEquals("next", UTF_8.decode(into.flip()).toString());
                    into.clear();
                }
            }
        }
    }

    @Test
    void unixDatagramsKeepBoundariesEnforceTheirMaximumAndRemoveFilesOnClose() throws Exception {
        Path a = TestPaths.path("ga");
        Path b = TestPaths.path("gb");
        Channel[] p = open("unixgram:" + b + "?bind=" + a + "&maxMessageSize=200KiB",
                "unixgram:" + a + "?bind=" + b + "&maxMessageSize=200KiB");
        try (Channel x = p[0]; Channel y = p[1]) {
            assertEquals(0600, (Integer) Files.getAttribute(a, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
            exchange(x, y, 200 * 1024);
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                    () -> x.send(ByteBuffer.allocate(200 * 1024 + 1)));
            assertTrue(e.getMessage().contains("exceeds maxMessageSize=204800"), e.getMessage());
            assertFalse(x.properties().contains(Channel.Property.RELIABLE), "no end of stream on datagrams");
            assertTrue(x.properties().contains(Channel.Property.ORDERED));
        }
        assertFalse(Files.exists(a, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(b, LinkOption.NOFOLLOW_LINKS));
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> Ipc.connect("unixgram:" + a + "?bind=" + b + "&maxMessageSize=1MiB"));
        assertTrue(e.getMessage().contains("outside 0..204800"), e.getMessage());
    }

    @Test
    void nativeEndsTalkToTheOtherImplementations() throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        Channel[] p = open("udp://127.0.0.1:" + pb + "?bind=127.0.0.1:" + pa + "&impl=jdk",
                "udp://127.0.0.1:" + pa + "?bind=127.0.0.1:" + pb);
        try (Channel jdk = p[0]; Channel nativeEnd = p[1]) {
            exchange(jdk, nativeEnd, SocketProvider.UDP_MAX);
            exchange(nativeEnd, jdk, SocketProvider.UDP_MAX);
        }
        Path a = TestPaths.path("ia");
        Path b = TestPaths.path("ib");
        p = open("unixgram:" + b + "?bind=" + a + "&impl=junixsocket", "unixgram:" + a + "?bind=" + b);
        try (Channel junix = p[0]; Channel nativeEnd = p[1]) {
            exchange(junix, nativeEnd, 65536);
            exchange(nativeEnd, junix, 65536);
        }
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> Ipc.connect("udp://127.0.0.1:9?impl=junixsocket"));
        assertTrue(e.getMessage().contains("native (the default) or jdk"), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("unixgram:/tmp/x?bind=/tmp/y&impl=jdk"));
        assertTrue(e.getMessage().contains("native (the default) or junixsocket"), e.getMessage());
    }

    @Test
    void abstractUnixDatagrams() throws Exception {
        String n = "@ipc4j-dg-" + ProcessHandle.current().pid();
        Channel[] p = open("unixgram:" + n + "b?bind=" + n + "a", "unixgram:" + n + "a?bind=" + n + "b");
        try (Channel x = p[0]; Channel y = p[1]) {
            exchange(x, y, 65536);
        }
    }

    @Test
    void datagramErrorsNameTheProblem() throws Exception {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("unixgram:/tmp/x"));
        assertTrue(e.getMessage().contains("needs ?bind="), e.getMessage());
        e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("udp://127.0.0.1:9?bind=nohost"));
        assertTrue(e.getMessage().contains("not host:port"), e.getMessage());
        IpcUnavailableException u = assertThrows(IpcUnavailableException.class, () -> Ipc.listen("udp://127.0.0.1:0"));
        assertTrue(u.getMessage().contains("has no listener"), u.getMessage());
        IpcTimeoutException t = assertThrows(IpcTimeoutException.class,
                () -> Ipc.connect("unixgram:" + TestPaths.path("never") + "?bind=" + TestPaths.path("me") + "&timeout=100ms"));
        assertTrue(t.getMessage().contains("did not bind"), t.getMessage());
        Channel[] p = udpPair("127.0.0.1");
        try (Channel a = p[0]; Channel b = p[1]) {
            assertThrows(IpcTimeoutException.class, () -> a.receive(ByteBuffer.allocate(10), Duration.ofMillis(20)));
        }
    }
}
