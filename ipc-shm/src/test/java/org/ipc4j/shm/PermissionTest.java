package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The mode is enforced against another user (nobody, through setpriv). */
@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class PermissionTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static Path copy;
    private static String classPath;

    /** Root's home is 0700: copy the class path where nobody can read it. */
    @BeforeAll
    static void copyClassPath() throws Exception {
        copy = Files.createTempDirectory("ipc4j-shm-cp");
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path target = copy.resolve(i++ + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path t = target.resolve(source.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else if (Files.exists(source)) {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(copy)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        classPath = String.join(File.pathSeparator, entries);
    }

    @AfterAll
    static void deleteCopy() throws Exception {
        try (Stream<Path> all = Files.walk(copy)) {
            all.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private String openAsNobody(String address) throws Exception {
        try (PeerJvm peer = Peers.of(RegionOpenPeer.class, address).classPath(classPath)
                .wrapper("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups").start()) {
            String line = peer.awaitLine(l -> l.startsWith("OPENED") || l.startsWith("REFUSED"), T);
            peer.assertExit(0, T);
            return line;
        }
    }

    @Test
    void defaultModeKeepsOtherUsersOutAndModeKeyLetsThemIn() throws Exception {
        String closed = Names.unique("perm");
        String open = Names.unique("perm");
        try (SharedRegion a = Ipc.openRegion("shm:/" + closed + "?create&size=64");
                SharedRegion b = Ipc.openRegion("shm:/" + open + "?create&size=64&mode=0666")) {
            a.putLongVolatile(0, 7);
            b.putLongVolatile(0, 42);
            String refused = openAsNobody("shm:/" + closed);
            assertTrue(refused.startsWith("REFUSED PermissionDeniedException") && refused.contains(closed), refused);
            assertEquals("OPENED 42", openAsNobody("shm:/" + open));
        } finally {
            Names.delete(closed);
            Names.delete(open);
        }
    }
}
