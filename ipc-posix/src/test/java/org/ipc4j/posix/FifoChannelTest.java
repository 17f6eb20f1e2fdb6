package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.PeerClosedException;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerProcess;
import org.ipc4j.testkit.peer.EchoPeer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FifoChannelTest {
    private Path dir;

    @BeforeEach
    void directory() throws Exception {
        dir = TestSupport.dir("fifo");
    }

    static String string(ByteBuffer b) {
        b.flip();
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void duplexPairEchoesThroughAPeerJvm() throws Exception {
        String path = dir.resolve("echo").toString();
        try (PeerJvm peer = PeerJvm.builder(EchoPeer.class).args("fifo:" + path + "?create&side=b").start()) {
            Channel c = Ipc.connect("fifo:" + path + "?create");
            peer.awaitReady(TestSupport.PEER_TIMEOUT);
            assertTrue(c.properties().contains(Channel.Property.BIDIRECTIONAL));
            for (String m : List.of("one", "", "three".repeat(1000))) {
                c.send(PosixMessageQueueTest.text(m));
                ByteBuffer b = ByteBuffer.allocate(c.maxMessageSize());
                assertEquals(m.length(), c.receive(b, TestSupport.PEER_TIMEOUT));
                assertEquals(m, string(b));
            }
            c.close();
            peer.awaitLineStartingWith("ECHOED 3", TestSupport.PEER_TIMEOUT);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path + ".a2b"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path + ".b2a"))));
    }

    @Test
    void echoIntoARawFifoThenEndOfStream() throws Exception {
        Path fifo = dir.resolve("raw");
        try (Channel c = Ipc.connect("fifo:" + fifo + "?create&read&framing=raw")) {
            Process echo = new ProcessBuilder("sh", "-c", "echo hello from sh > " + fifo).start();
            StringBuilder got = new StringBuilder();
            while (true) {
                ByteBuffer b = ByteBuffer.allocate(64);
                int n = c.receive(b, TestSupport.PEER_TIMEOUT);
                if (n < 0) {
                    break;
                }
                got.append(string(b));
            }
            assertEquals("hello from sh\n", got.toString());
            assertEquals(0, echo.waitFor());
        }
    }

    @Test
    void catReadsWhatWeWriteRaw() throws Exception {
        Path fifo = dir.resolve("cat");
        Ipc.connect("fifo:" + fifo + "?create&read&framing=raw").close();
        try (PeerProcess cat = PeerProcess.start("cat", List.of("cat", fifo.toString()))) {
            try (Channel w = Ipc.connect("fifo:" + fifo + "?write&framing=raw&timeout=20s")) {
                w.send(PosixMessageQueueTest.text("line one\nline two\n"));
            }
            assertEquals(0, cat.awaitExit(TestSupport.PEER_TIMEOUT));
            assertEquals(List.of("line one", "line two"), cat.output());
        }
    }

    @Test
    void writerCloseIsEndOfStreamAndReaderGoneIsPeerClosed() throws Exception {
        Path fifo = dir.resolve("oneway");
        Channel r = Ipc.connect("fifo:" + fifo + "?create&read");
        Channel w1 = Ipc.connect("fifo:" + fifo + "?write");
        w1.send(PosixMessageQueueTest.text("last"));
        w1.close();
        assertEquals(4, r.receive(ByteBuffer.allocate(64)));
        assertEquals(-1, r.receive(ByteBuffer.allocate(64)));
        r.close();
        Channel r2 = Ipc.connect("fifo:" + fifo + "?read");
        try (Channel w = Ipc.connect("fifo:" + fifo + "?write")) {
            closeQuietly(r2);
            PeerClosedException e = assertThrows(PeerClosedException.class, () -> w.send(PosixMessageQueueTest.text("x")));
            assertTrue(e.getMessage().contains("EPIPE") && e.getMessage().contains(fifo.toString()), e.getMessage());
        }
    }

    @Test
    void receiveWaitsForAFirstWriterAndKeepsPartialFrames() throws Exception {
        Path fifo = dir.resolve("wait");
        try (Channel r = Ipc.connect("fifo:" + fifo + "?create&read&maxMessageSize=16")) {
            assertThrows(IpcTimeoutException.class, () -> r.receive(ByteBuffer.allocate(16), Duration.ofMillis(50)));
            try (Channel w = Ipc.connect("fifo:" + fifo + "?write&maxMessageSize=16")) {
                w.send(PosixMessageQueueTest.text("0123456789"));
                MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> r.receive(ByteBuffer.allocate(4)));
                assertFalse(e.discarded());
                ByteBuffer b = ByteBuffer.allocate(16);
                assertEquals(10, r.receive(b));
                assertEquals("0123456789", string(b));
                assertThrows(MessageTooLargeException.class, () -> w.send(ByteBuffer.allocate(17)));
            }
        }
    }

    /**
     * A Python writer sends seeded random bytes, some rounds after a few well-formed frames: the
     * framed reader returns messages within its maximum, then end of stream or an
     * {@link org.ipc4j.IpcProtocolException} naming the FIFO; never another exception, never a hang.
     */
    @Test
    void randomBytesFromAnotherProgramGiveBoundedMessagesOrAProtocolError() throws Exception {
        String writer = "import os, random, struct, sys\n"
                + "r = random.Random(int(sys.argv[2]))\n"
                + "out = b''.join(struct.pack('>I', n) + bytes(n) for n in [r.randrange(64) for _ in range(r.randrange(4))])\n"
                + "out += bytes(r.getrandbits(8) for _ in range(r.randrange(1, 3000)))\n"
                + "fd = os.open(sys.argv[1], os.O_WRONLY)\n"
                + "os.write(fd, out)\n";
        long seed = System.nanoTime();
        int protocolErrors = 0;
        for (int round = 0; round < 40; round++) {
            Path fifo = dir.resolve("noise" + round);
            try (Channel r = Ipc.connect("fifo:" + fifo + "?create&read&maxMessageSize=256")) {
                try (PeerProcess p = PeerProcess.start("noise-writer", List.of("python3", "-c", writer, fifo.toString(),
                        String.valueOf(seed + round)))) {
                    ByteBuffer into = ByteBuffer.allocate(256);
                    try {
                        while (r.receive(into.clear(), Duration.ofSeconds(10)) >= 0) {
                            assertTrue(into.position() <= 256, "seed " + (seed + round));
                        }
                    } catch (org.ipc4j.IpcProtocolException e) {
                        protocolErrors++;
                        assertTrue(e.getMessage().contains(fifo.toString()), e.getMessage());
                    }
                    assertEquals(0, p.awaitExit(Duration.ofSeconds(10)), String.join("\n", p.output()));
                }
            }
        }
        assertTrue(protocolErrors > 0, "random bytes never broke the framing (seed " + seed + ")");
    }

    static void closeQuietly(Channel c) throws java.io.IOException {
        c.close();
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        Path fifo = dir.resolve("close");
        Channel r = Ipc.connect("fifo:" + fifo + "?create&read");
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                r.receive(ByteBuffer.allocate(64));
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        t.start();
        PosixMessageQueueTest.awaitBlocked(t);
        r.close();
        assertTrue(result.get(5, TimeUnit.SECONDS) instanceof java.nio.channels.AsynchronousCloseException);
    }

    @Test
    void badPathsAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("regular"), "x");
        IpcException regular = assertThrows(IpcException.class, () -> Ipc.connect("fifo:" + file + "?read"));
        assertTrue(regular.getMessage().contains("regular file") && regular.getMessage().contains(file.toString()),
                regular.getMessage());
        Path directory = Files.createDirectory(dir.resolve("dir"));
        IpcException isDir = assertThrows(IpcException.class, () -> Ipc.connect("fifo:" + directory + "?read&create"));
        assertTrue(isDir.getMessage().contains("directory"), isDir.getMessage());
        Path target = dir.resolve("target");
        try (Channel c = Ipc.connect("fifo:" + target + "?create&read")) {
            Path link = Files.createSymbolicLink(dir.resolve("link"), target);
            IpcException isLink = assertThrows(IpcException.class, () -> Ipc.connect("fifo:" + link + "?read"));
            assertTrue(isLink.getMessage().contains("symbolic link"), isLink.getMessage());
            ObjectExistsException exists = assertThrows(ObjectExistsException.class,
                    () -> Ipc.connect("fifo:" + target + "?read&exclusive"));
            assertTrue(exists.getMessage().contains(target.toString()), exists.getMessage());
            assertTrue(c.isOpen());
        }
        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class,
                () -> Ipc.connect("fifo:" + dir.resolve("missing") + "?read"));
        assertTrue(missing.getMessage().contains("create"), missing.getMessage());
        IpcTimeoutException noReader = assertThrows(IpcTimeoutException.class,
                () -> Ipc.connect("fifo:" + dir.resolve("lonely") + "?create&write&timeout=200ms"));
        assertTrue(noReader.getMessage().contains("no reader"), noReader.getMessage());
        assertThrows(org.ipc4j.InvalidAddressException.class, () -> Ipc.connect("fifo:" + target + "?read&write"));
        assertThrows(org.ipc4j.InvalidAddressException.class, () -> Ipc.connect("fifo:" + target + "?side=c"));
        assertThrows(org.ipc4j.InvalidAddressException.class, () -> Ipc.connect("fifo:" + target + "?read&framing=json"));
    }
}
