package org.ipc4j.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.socket.peer.NetPeer;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Another user (nobody, through setpriv): a client refused by {@code allowUid} before any byte is
 * read and by the file mode 0600 of a socket file; a listener squatting an abstract name refused by
 * the client (its uid is checked before anything is sent) unless {@code serverUid} lists it.
 */
@SuppressWarnings("try")
class SecurityTest {
    static final Duration T = Duration.ofSeconds(60);
    static final String[] AS_NOBODY = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    static Path classPath;
    static Path openDir;

    /** Root's home is 0700: copy the class path where nobody can read it. */
    @BeforeAll
    static void copyClassPath() throws IOException {
        assumeTrue(Libc.INSTANCE.getuid() == 0, "needs root to drop to nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv is missing");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ipccp");
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = dir.resolve(i++ + "-" + from.getFileName());
            copy(from, to);
            entries.add(to.toString());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        classPath = dir;
        System.setProperty("ipc4j.test.nobodyClassPath", String.join(":", entries));
        openDir = Files.createTempDirectory(Path.of("/tmp"), "ipcopen");
        Files.setPosixFilePermissions(openDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @org.junit.jupiter.api.AfterAll
    static void removeCopies() {
        if (classPath != null) {
            TestPaths.deleteTree(classPath);
        }
        if (openDir != null) {
            TestPaths.deleteTree(openDir);
        }
    }

    static void copy(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> all = Files.walk(from)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(from, to);
        }
    }

    static PeerJvm nobody(String... args) throws IOException {
        return PeerJvm.builder(NetPeer.class).name("nobody").wrapper(AS_NOBODY)
                .classPath(System.getProperty("ipc4j.test.nobodyClassPath")).args(args).start();
    }

    @Test
    void allowUidRefusesAClientRunAsAnotherUser() throws Exception {
        String name = "unix:@ipc4j-sec-" + ProcessHandle.current().pid();
        // serverUid=0: the client accepts this listener (root's), so the refusal seen is the listener's
        try (ChannelListener l = Ipc.listen(name + "?allowUid=0");
             PeerJvm peer = nobody("connect", name + "?serverUid=0", "1")) {
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> l.accept(T));
            assertTrue(e.getMessage().contains("uid=65534"), e.getMessage());
            String line = peer.awaitLine(s -> s.startsWith("FAILED") || s.startsWith("OK"), T);
            assertTrue(line.startsWith("FAILED"), "the refused client must not get an answer: " + line);
            peer.assertExit(0, T);
            // the listener stays usable for an allowed user
            try (Channel c = Ipc.connect(l.address()); Channel s = l.accept(T)) {
                c.send(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(1, s.receive().length);
            }
        }
    }

    @Test
    void anAbstractNameSquattedByAnotherUserIsRefusedBeforeAnythingIsSent() throws Exception {
        String name = "unix:@ipc4j-squat-" + ProcessHandle.current().pid();
        try (PeerJvm squatter = nobody("listen", name)) {
            squatter.awaitLineStartingWith("LISTENING", T);
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> Ipc.connect(name));
            String m = e.getMessage();
            assertTrue(m.contains("'" + name + "'") && m.contains("uid=65534") && m.contains("accepted: uid [0]")
                    && m.contains("serverUid"), m);
            // the squatter accepted the connection we closed and found nothing in it
            squatter.awaitLine("ECHOED 0"::equals, T);
            squatter.assertExit(0, T);
        }
        try (PeerJvm listener = nobody("listen", name)) {
            listener.awaitLineStartingWith("LISTENING", T);
            try (Channel c = Ipc.connect(name + "?serverUid=0,65534")) {
                assertEquals(65534, c.peerCredentials().orElseThrow().uid());
                c.send(ByteBuffer.wrap(new byte[] {7}));
                assertEquals(7, c.receive()[0]);
            }
            listener.awaitLine("ECHOED 1"::equals, T);
            listener.assertExit(0, T);
        }
    }

    @Test
    void serverUidAlsoChecksAListenerAtAPath() throws Exception {
        Path path = openDir.resolve("u" + ProcessHandle.current().pid());
        try (ChannelListener l = Ipc.listen("unix:" + path)) {
            String address = "unix:" + path + "?serverUid=4242";
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> Ipc.connect(address));
            assertTrue(e.getMessage().contains("uid=0") && e.getMessage().contains("serverUid=[4242]"), e.getMessage());
            try (Channel refused = l.accept(T)) {
                assertEquals(-1, refused.receive(ByteBuffer.allocate(1), T), "the refused connection carried nothing");
            }
            try (Channel c = Ipc.connect("unix:" + path + "?serverUid=0"); Channel s = l.accept(T)) {
                c.send(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(1, s.receive().length);
            }
        }
    }

    @Test
    void aSocketFileOfMode0600RefusesAnotherUser() throws Exception {
        Path path = openDir.resolve("s" + ProcessHandle.current().pid());
        try (ChannelListener l = Ipc.listen("unix:" + path);
             PeerJvm peer = nobody("connect", "unix:" + path, "1")) {
            String line = peer.awaitLineStartingWith("FAILED", T);
            assertTrue(line.contains(PermissionDeniedException.class.getName()), line);
            assertTrue(line.contains("check the socket file's owner and mode"), line);
            peer.assertExit(0, T);
        }
        Path open = openDir.resolve("o" + ProcessHandle.current().pid());
        try (ChannelListener l = Ipc.listen("unix:" + open + "?mode=0666&impl=junixsocket");
             PeerJvm peer = nobody("connect", "unix:" + open, "0")) {
            try (Channel c = l.accept(T)) {
                peer.awaitLine("OK 0"::equals, T);
                assertEquals(65534, c.peerCredentials().orElseThrow().uid());
            }
            peer.assertExit(0, T);
        }
    }
}
