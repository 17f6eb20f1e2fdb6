package org.ipc4j.testkit.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak check itself: a clean cycle passes, and each kind of leak is named in the report. */
class LeakCheckTest {
    private static final Duration NO_SETTLE = Duration.ZERO;
    private final List<AutoCloseable> leaked = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        release.countDown();
        for (AutoCloseable c : leaked) {
            c.close();
        }
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
    }

    private FileChannel open(Path path) throws IOException {
        files.add(path);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return ch;
    }

    @Test
    void aCycleThatClosesEverythingIsClean() throws Exception {
        Path file = dir.resolve("f");
        LeakReport report = LeakCheck.of("clean").watching(dir).cycles(200).assertNoLeak(i -> {
            try (FileChannel ch = open(file)) {
                ch.size();
            }
            Files.delete(file);
        });
        assertTrue(report.clean(), report::toString);
        assertTrue(report.toString().contains("200 cycles left nothing behind"), report::toString);
    }

    @Test
    void anUnclosedDescriptorIsNamedWithItsTarget() throws Exception {
        Path file = dir.resolve("kept");
        LeakReport report = LeakCheck.of("fd").cycles(3).warmUp(0).settle(NO_SETTLE).measure(i -> {
            if (i == 1) {
                leaked.add(open(file));
            }
        });
        assertFalse(report.clean());
        assertEquals(1, report.growth().size(), report::toString);
        assertTrue(report.growth().get(0).startsWith("descriptors: "), report::toString);
        assertTrue(report.growth().get(0).contains(file.toString()), report::toString);
        assertEquals(report.before().descriptors().size() + 1, report.after().descriptors().size());
    }

    @Test
    void aThreadLeftRunningIsNamed() throws Exception {
        LeakReport report = LeakCheck.of("thread").cycles(1).warmUp(0).settle(Duration.ofMillis(100)).measure(i -> {
            Thread t = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "leaked-by-test");
            t.start();
        });
        assertTrue(report.toString().contains("threads: "), report::toString);
        assertTrue(report.toString().contains("leaked-by-test"), report::toString);
    }

    @Test
    void aFileInAWatchedDirectoryAndInDevShmAndItsMappingAreNamed() throws Exception {
        String name = "ipc4j-leakcheck-" + ProcessHandle.current().pid();
        Path shm = Path.of("/dev/shm", name);
        LeakReport report = LeakCheck.of("files").watching(dir).cycles(1).warmUp(0).settle(NO_SETTLE).measure(i -> {
            Files.createFile(dir.resolve("left"));
            files.add(dir.resolve("left"));
            FileChannel ch = open(shm);
            ch.truncate(4096);
            ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096);   // stays mapped until collected
            ch.close();
        });
        String text = report.toString();
        assertTrue(text.contains("watched directories: 0 -> 1, new: " + dir.resolve("left")), text);
        assertTrue(text.contains("/dev/shm: ") && text.contains("new: " + name), text);
        assertTrue(text.contains("/dev/shm mappings: ") && text.contains(shm.toString()), text);
        AssertionError e = assertThrows(AssertionError.class,
                () -> LeakCheck.of("again").watching(dir).cycles(1).warmUp(0).settle(NO_SETTLE)
                        .assertNoLeak(i -> Files.createFile(dir.resolve("second" + i))));
        files.add(dir.resolve("second0"));
        assertTrue(e.getMessage().contains("again: 1 cycles leaked"), e.getMessage());
    }

    @Test
    void namesOfOtherProcessesAreOutOfScope() {
        LeakScope scope = LeakScope.ofThisProcess();
        long pid = ProcessHandle.current().pid();
        assertTrue(scope.owns("ipc4j-t-" + pid + "-3-region"));
        assertTrue(scope.owns(".ipc4j-" + pid + "-12-ab12"));
        assertFalse(scope.owns("ipc4j-t-" + pid + "7-3"), "a longer number is another pid");
        assertFalse(scope.owns("ipc4j-t-1" + pid + "-3"));
        assertTrue(scope.withMarker("svc").owns("my-svc"));
        assertTrue(scope.withSysvKey(0x1234).ownsKey(0x1234));
    }
}
