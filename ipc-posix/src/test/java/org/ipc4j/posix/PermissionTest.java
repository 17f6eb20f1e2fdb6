package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.posix.internal.PosixSemaphore;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Objects created 0600 by root are refused to a peer JVM running as nobody, with a typed, named error. */
class PermissionTest {
    private static String readableClassPath;
    private static Path shared;

    @BeforeAll
    static void copyClassPath() throws IOException {
        shared = Files.createTempDirectory(Path.of("/tmp"), "ipc4j-perm-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = shared.resolve("cp" + (n++) + (Files.isDirectory(source) ? "" : ".jar"));
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Path t = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                        } else {
                            Files.copy(p, t);
                            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                        }
                    }
                }
            } else {
                Files.copy(source, target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            }
            entries.add(target.toString());
        }
        readableClassPath = String.join(File.pathSeparator, entries);
    }

    @AfterAll
    static void removeCopy() throws IOException {
        try (Stream<Path> files = Files.walk(shared)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String asNobody(String kind, String address) throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Peers.OpenAsOther.class).args(kind, address)
                .wrapper("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
                .classPath(readableClassPath).start()) {
            String line = peer.awaitLine(l -> l.startsWith("DENIED") || l.startsWith("OPENED"), TestSupport.PEER_TIMEOUT);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
            return line;
        }
    }

    @Test
    void queueSemaphoreAndFifoOf0600AreDeniedToAnotherUser() throws Exception {
        String mq = "/" + TestSupport.unique("perm");
        String sem = "/" + TestSupport.unique("perm");
        int key = 0x2D00_0000 | (int) (ProcessHandle.current().pid() & 0xFFFF);
        Path fifo = shared.resolve("fifo");
        try (MessageQueue q = Ipc.openQueue("mq:" + mq + "?create");
             Semaphore s = Ipc.openSemaphore("sem:" + sem + "?create");
             Semaphore sysv = Ipc.openSemaphore("sysvsem:" + key + "?create");
             var reader = Ipc.connect("fifo:" + fifo + "?create&read")) {
            String line = asNobody("queue", "mq:" + mq);
            assertTrue(line.startsWith("DENIED PermissionDeniedException: mq_open(" + mq + ") failed: EACCES")
                    && line.contains("check its owner and mode"), line);
            line = asNobody("semaphore", "sem:" + sem);
            assertTrue(line.startsWith("DENIED PermissionDeniedException: sem_open(" + sem + ")"), line);
            line = asNobody("semaphore", "sysvsem:" + key);
            assertTrue(line.startsWith("DENIED PermissionDeniedException: semget(" + key + ")"), line);
            line = asNobody("channel", "fifo:" + fifo + "?write&timeout=5s");
            assertTrue(line.startsWith("DENIED PermissionDeniedException: open(" + fifo + ")"), line);
            sysv.unlink();
            assertTrue(reader.isOpen() && q.isOpen() && s.isOpen());
        } finally {
            PosixMessageQueue.unlink(mq);
            PosixSemaphore.unlink(sem);
        }
    }

    @Test
    void termIsRefusedUnderReducedSignals() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(Peers.HandleTerm.class).jvmFlags("-Xrs").start()) {
            String line = peer.awaitLine(l -> l.startsWith("REFUSED") || l.startsWith("INSTALLED"), TestSupport.PEER_TIMEOUT);
            assertTrue(line.startsWith("REFUSED IpcException: the JVM refused a handler for SIGTERM"), line);
            assertTrue(line.contains("-Xrs"), line);
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }
}
