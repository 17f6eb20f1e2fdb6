package org.ipc4j.testkit.permission;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.Assumptions;

/**
 * The second user of permission tests: {@code nobody} (uid and gid 65534), reached from root with
 * {@code setpriv --reuid=65534 --regid=65534 --clear-groups}.
 *
 * <p>Root's home is 0700, so a peer JVM run as nobody cannot read the test class path where Maven
 * left it. {@link #peer(Class)} gives it a copy, made once per test JVM in a 0755 directory under
 * {@code /tmp} (directories 0755, files 0644) and deleted when the JVM exits.
 */
public final class OtherUser {
    /** The other user's uid (and gid): nobody. */
    public static final int UID = 65534;

    /** The command a peer JVM runs through to become {@link #UID}. */
    public static final List<String> WRAPPER =
            List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups");

    private static String classPath;

    private OtherUser() {
    }

    /** Skips the calling test unless this JVM is root and {@code setpriv} is installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "dropping to another user needs root; running as " + System.getProperty("user.name"));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "/usr/bin/setpriv is missing");
    }

    /** A peer JVM builder that runs {@code mainClass} as {@link #UID} on the readable class path copy. */
    public static PeerJvm.Builder peer(Class<?> mainClass) {
        return PeerJvm.builder(mainClass).name(mainClass.getSimpleName() + " as nobody")
                .wrapper(WRAPPER.toArray(String[]::new)).classPath(classPath());
    }

    /** This JVM's class path, copied where {@link #UID} can read it (once per JVM). */
    public static synchronized String classPath() {
        if (classPath == null) {
            try {
                classPath = copyClassPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the class path for user " + UID, e);
            }
        }
        return classPath;
    }

    /**
     * A fresh directory under {@code /tmp} that the other user may write into (mode 1777, like
     * {@code /tmp}), for the files its peer creates; deleted when the JVM exits.
     */
    public static Path writableDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        deleteOnExit(dir);
        return dir;
    }

    /**
     * A fresh directory under {@code /tmp} the other user may enter but not change (0755), for the
     * objects the owner creates; deleted when the JVM exits.
     */
    public static Path readableDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        deleteOnExit(dir);
        return dir;
    }

    private static String copyClassPath() throws IOException {
        Path root = readableDirectory("ipc4j-nobody-cp-");
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = root.resolve(n++ + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Path t = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p,
                        PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // best effort: the directory is under /tmp
            }
        }, "delete " + dir));
    }
}
