package org.ipc4j.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.PeerCredentials;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.socket.peer.FdPeer;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.FileDescriptorCast;

/** Unix stream specifics: socket files, credentials, descriptor passing. */
@SuppressWarnings("try")
class UnixSocketTest {
    static final Duration T = Duration.ofSeconds(10);

    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void socketFileIsNeverWiderThanItsModeAndIsRemovedOnClose() throws Exception {
        for (String impl : new String[] {"junixsocket", "jdk"}) {
            Path path = TestPaths.path("m");
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        seen.add(mode(path));
                    } catch (IOException e) {
                        // not there yet
                    }
                }
            });
            watcher.start();
            try (ChannelListener l = Ipc.listen("unix:" + path + "?impl=" + impl)) {
                assertEquals(0600, mode(path), impl);
                seen.add(mode(path));
            } finally {
                stop.set(true);
                watcher.join();
            }
            assertEquals(Set.of(0600), seen, impl + ": modes seen while binding");
            assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), impl + ": removed on close");
            try (var dir = Files.list(path.getParent())) {
                assertTrue(dir.noneMatch(p -> p.getFileName().toString().startsWith(".i")), "private directory left");
            }
        }
    }

    @Test
    void modeKeyIsApplied() throws Exception {
        Path path = TestPaths.path("m");
        try (ChannelListener l = Ipc.listen("unix:" + path + "?mode=0660")) {
            assertEquals(0660, mode(path));
        }
    }

    @Test
    void aRegularFileIsRefusedAndKept() throws Exception {
        Path path = TestPaths.path("f");
        Files.writeString(path, "precious");
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> Ipc.listen("unix:" + path));
        assertTrue(e.getMessage().contains("exists and is not a socket (a regular file)"), e.getMessage());
        assertEquals("precious", Files.readString(path));
        Path dir = Files.createDirectory(TestPaths.path("d"));
        e = assertThrows(PermissionDeniedException.class, () -> Ipc.listen("unix:" + dir));
        assertTrue(e.getMessage().contains("a directory"), e.getMessage());
    }

    @Test
    void aLiveListenerIsAddressInUse() throws Exception {
        Path path = TestPaths.path("l");
        try (ChannelListener l = Ipc.listen("unix:" + path)) {
            ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> Ipc.listen("unix:" + path));
            assertTrue(e.getMessage().contains("address in use"), e.getMessage());
            assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the live listener's file stays");
        }
        String name = "unix:@ipc4j-live-" + ProcessHandle.current().pid();
        try (ChannelListener l = Ipc.listen(name)) {
            ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> Ipc.listen(name));
            assertTrue(e.getMessage().contains("address in use"), e.getMessage());
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path path = TestPaths.path("s");
        // the JDK leaves its socket file behind after close: a stale file like a crashed listener's
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        try (ChannelListener l = Ipc.listen("unix:" + path);
             Channel c = Ipc.connect("unix:" + path);
             Channel s = l.accept(T)) {
            c.send(ByteBuffer.wrap("x".getBytes(UTF_8)));
            assertEquals("x", new String(s.receive(), UTF_8));
        }
    }

    @Test
    void closeLeavesAFileThatIsNoLongerOurs() throws Exception {
        Path path = TestPaths.path("r");
        ChannelListener l = Ipc.listen("unix:" + path);
        Files.delete(path);
        Files.writeString(path, "someone else's");
        l.close();
        assertEquals("someone else's", Files.readString(path));
    }

    @Test
    void peerCredentialsAreThoseOfThisProcess() throws Exception {
        try (ChannelListener l = Ipc.listen("unix:@ipc4j-cred-" + ProcessHandle.current().pid());
             Channel c = Ipc.connect(l.address());
             Channel s = l.accept(T)) {
            PeerCredentials expected = new PeerCredentials(ProcessHandle.current().pid(), Libc.INSTANCE.getuid(), 0);
            assertEquals(expected.pid(), s.peerCredentials().orElseThrow().pid());
            assertEquals(expected.uid(), s.peerCredentials().orElseThrow().uid());
            assertEquals(expected.pid(), c.peerCredentials().orElseThrow().pid());
            assertTrue(s.properties().contains(Channel.Property.PEER_CREDENTIALS));
        }
    }

    @Test
    void allowUidRefusesOtherUsersBeforeReadingAndKeepsListening() throws Exception {
        Path path = TestPaths.path("a");
        try (ChannelListener l = Ipc.listen("unix:" + path + "?allowUid=4242,4243")) {
            try (Channel c = Ipc.connect(l.address())) {
                c.send(ByteBuffer.wrap("let me in".getBytes(UTF_8)));
                PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> l.accept(T));
                assertTrue(e.getMessage().contains("uid=0") && e.getMessage().contains("allowUid=[4242, 4243]"),
                        e.getMessage());
                assertEquals(-1, c.receive(ByteBuffer.allocate(10), T), "the refused client sees end of stream");
            }
            assertTrue(l.isOpen());
            // a plain client: Linux resets the connection of a Unix socket closed with unread data, so the
            // reset proves the listener refused it without reading the byte it sent
            try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                raw.write(ByteBuffer.wrap(new byte[] {42}));
                assertThrows(PermissionDeniedException.class, () -> l.accept(T));
                IOException reset = assertThrows(IOException.class, () -> raw.read(ByteBuffer.allocate(1)));
                assertTrue(String.valueOf(reset.getMessage()).contains("reset"), String.valueOf(reset));
            }
        }
        try (ChannelListener l = Ipc.listen("unix:" + TestPaths.path("b") + "?allowUid=" + Libc.INSTANCE.getuid());
             Channel c = Ipc.connect(l.address());
             Channel s = l.accept(T)) {
            c.send(ByteBuffer.wrap("ok".getBytes(UTF_8)));
            assertEquals("ok", new String(s.receive(), UTF_8));
        }
    }

    @Test
    void passesAPipeEndAndAMemfdRegion() throws Exception {
        Libc libc = Libc.INSTANCE;
        int[] pipe = new int[2];
        assertEquals(0, libc.pipe(pipe));
        int memfd = libc.memfd_create("ipc4j-test", 0);
        assertTrue(memfd >= 0);
        assertEquals(0, libc.ftruncate(memfd, 4096));
        byte[] hello = "region".getBytes(UTF_8);
        assertEquals(hello.length, libc.write(memfd, hello, hello.length));
        try (ChannelListener l = Ipc.listen("unix:@ipc4j-fd-" + ProcessHandle.current().pid());
             Channel client = Ipc.connect(l.address());
             Channel server = l.accept(T)) {
            DescriptorChannel sender = DescriptorChannel.of(client);
            DescriptorChannel receiver = DescriptorChannel.of(server);
            sender.send(ByteBuffer.wrap("before".getBytes(UTF_8)));
            sender.send(ByteBuffer.wrap("pipe".getBytes(UTF_8)), fd(pipe[0]));
            sender.send(ByteBuffer.wrap("memfd".getBytes(UTF_8)), fd(memfd));
            libc.close(pipe[0]);
            byte[] toPipe = "through the pipe".getBytes(UTF_8);
            libc.write(pipe[1], toPipe, toPipe.length);
            libc.close(pipe[1]);

            assertEquals("before", new String(receiver.receive(), UTF_8));
            assertEquals(List.of(), receiver.receivedDescriptors());
            assertEquals("pipe", new String(receiver.receive(), UTF_8));
            List<PassedDescriptor> fds = receiver.receivedDescriptors();
            assertEquals(1, fds.size());
            try (FileInputStream in = fds.get(0).as(FileInputStream.class)) {
                // readAllBytes would seek, which a pipe refuses on JDK 17
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                byte[] chunk = new byte[64];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    got.write(chunk, 0, n);
                }
                assertArrayEquals(toPipe, got.toByteArray());
            }
            assertEquals("memfd", new String(receiver.receive(), UTF_8));
            fds = receiver.receivedDescriptors();
            assertEquals(1, fds.size());
            try (FileChannel region = fds.get(0).as(FileChannel.class)) {
                MappedByteBuffer map = region.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                byte[] got = new byte[hello.length];
                map.get(got);
                assertArrayEquals(hello, got);
                map.put(100, (byte) 77);
            }
            byte[] back = new byte[1];
            libc.pread(memfd, back, 1, 100);
            assertEquals(77, back[0], "the receiver's write is seen through the sender's descriptor");
            assertTrue(client.properties().contains(Channel.Property.FD_PASSING));
        } finally {
            libc.close(memfd);
        }
        try (ChannelListener l = Ipc.listen("tcp://127.0.0.1:0");
             Channel c = Ipc.connect(l.address())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DescriptorChannel.of(c));
            assertTrue(e.getMessage().contains("cannot pass file descriptors"), e.getMessage());
        }
    }

    @Test
    void aPeerJvmGetsAUsablePipeEndAndMemfdRegion() throws Exception {
        Libc libc = Libc.INSTANCE;
        int[] pipe = new int[2];
        assertEquals(0, libc.pipe(pipe));
        int memfd = libc.memfd_create("ipc4j-peer", 0);
        assertEquals(0, libc.ftruncate(memfd, 4096));
        byte[] region = "shared".getBytes(UTF_8);
        libc.write(memfd, region, region.length);
        String name = "unix:@ipc4j-fdpeer-" + ProcessHandle.current().pid();
        try (ChannelListener l = Ipc.listen(name);
             PeerJvm peer = PeerJvm.builder(FdPeer.class).args(name).start();
             DescriptorChannel c = DescriptorChannel.of(l.accept(Duration.ofSeconds(60)))) {
            c.send(ByteBuffer.wrap("pipe".getBytes(UTF_8)), fd(pipe[0]));
            libc.close(pipe[0]);
            byte[] text = "across processes".getBytes(UTF_8);
            libc.write(pipe[1], text, text.length);
            libc.close(pipe[1]);
            peer.awaitLine("PIPE across processes"::equals, Duration.ofSeconds(60));
            c.send(ByteBuffer.wrap("memfd".getBytes(UTF_8)), fd(memfd));
            peer.awaitLine("REGION shared"::equals, Duration.ofSeconds(60));
            assertEquals("done", new String(c.receive(), UTF_8));
            byte[] back = new byte[1];
            libc.pread(memfd, back, 1, 100);
            assertEquals(77, back[0], "the peer's write through its mapping is seen here");
            peer.assertExit(0, Duration.ofSeconds(60));
        } finally {
            libc.close(memfd);
        }
    }

    static FileDescriptor fd(int fd) throws IOException {
        return FileDescriptorCast.unsafeUsing(fd).getFileDescriptor();
    }

    @Test
    void pathsUseNativeByDefaultAndJunixsocketWhenAsked() throws Exception {
        Path path = TestPaths.path("k");
        try (ChannelListener l = Ipc.listen("unix:" + path);
             Channel c = Ipc.connect("unix:" + path + "?impl=junixsocket");
             Channel s = l.accept(T)) {
            assertFalse(s.properties().contains(Channel.Property.FD_PASSING), "impl=native serves a path by default");
            assertTrue(s.properties().contains(Channel.Property.PEER_CREDENTIALS));
            assertTrue(c.properties().contains(Channel.Property.FD_PASSING));
            c.send(ByteBuffer.wrap("x".getBytes(UTF_8)));
            assertEquals("x", new String(s.receive(), UTF_8));
        }
    }

    @Test
    void jdkImplementationServesPathsToo() throws Exception {
        Path path = TestPaths.path("j");
        try (ChannelListener l = Ipc.listen("unix:" + path + "?impl=jdk");
             Channel c = Ipc.connect("unix:" + path);
             Channel s = l.accept(T)) {
            assertEquals(0600, mode(path));
            c.send(ByteBuffer.wrap("mixed".getBytes(UTF_8)));
            assertEquals("mixed", new String(s.receive(), UTF_8));
            assertFalse(s.properties().contains(Channel.Property.FD_PASSING));
        }
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        assertTrue(PosixFilePermissions.toString(Files.getPosixFilePermissions(TestPaths.dir())).startsWith("rwx"));
    }
}
