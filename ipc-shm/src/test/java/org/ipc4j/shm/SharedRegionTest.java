package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.ResourceLimitException;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class SharedRegionTest {
    private static final Duration T = Duration.ofSeconds(60);
    private final String name = Names.unique("region");

    @AfterEach
    void cleanUp() {
        Names.delete(name);
    }

    private SharedRegion create(long size) throws IOException {
        return Ipc.openRegion("shm:/" + name + "?create&size=" + size);
    }

    @Test
    void createdRegionIsZeroedWithMode0600AndReadableByAnotherHandle() throws Exception {
        try (SharedRegion a = create(4096); SharedRegion b = Ipc.openRegion("shm:/" + name)) {
            assertEquals(4096, a.size());
            assertEquals(4096, b.size());
            assertEquals(0, b.getLong(4088));
            a.putLongRelease(8, 42);
            assertEquals(42, b.getLongAcquire(8));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Names.path(name))));
            assertEquals(128 + 4096, Files.size(Names.path(name)));
        }
    }

    @Test
    void modeKeyIsAppliedExactlyWhateverTheUmask() throws Exception {
        try (SharedRegion r = Ipc.openRegion("shm:/" + name + "?create&size=64&mode=0664")) {
            assertEquals(64, r.size());
            assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(Names.path(name))));
        }
    }

    @Test
    void everyAccessorWorks() throws Exception {
        try (SharedRegion r = create(256)) {
            r.putInt(0, 1);
            assertEquals(1, r.getInt(0));
            r.putIntVolatile(4, 2);
            assertEquals(2, r.getIntVolatile(4));
            r.putIntRelease(8, 3);
            assertEquals(3, r.getIntAcquire(8));
            assertTrue(r.compareAndSetInt(8, 3, 4));
            assertFalse(r.compareAndSetInt(8, 3, 5));
            assertEquals(4, r.getAndAddInt(8, 10));
            assertEquals(14, r.getInt(8));
            r.putLong(16, 5);
            assertEquals(5, r.getLong(16));
            r.putLongVolatile(24, 6);
            assertEquals(6, r.getLongVolatile(24));
            assertTrue(r.compareAndSetLong(24, 6, 7));
            assertEquals(7, r.getAndAddLong(24, 1));
            assertEquals(8, r.getLongAcquire(24));
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            r.write(100, hello, 0, 5);
            byte[] back = new byte[5];
            r.read(100, back, 0, 5);
            assertArrayEquals(hello, back);
            ByteBuffer direct = ByteBuffer.allocateDirect(5);
            r.read(100, direct);
            assertEquals(5, direct.position());
            r.write(200, ByteBuffer.wrap(hello));
            ByteBuffer view = r.asByteBuffer();
            assertEquals(256, view.limit());
            assertEquals(ByteOrder.nativeOrder(), view.order());
            assertEquals('h', view.get(200));
            assertEquals(14, view.getInt(8));
        }
    }

    @Test
    void outOfBoundsNamesRegionOffsetAndSize() throws Exception {
        try (SharedRegion r = create(64)) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> r.getLong(60));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("offset=60")
                    && e.getMessage().contains("size=64"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> r.putInt(-1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> r.write(60, new byte[8], 0, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> r.read(Long.MAX_VALUE, new byte[1], 0, 1));
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> r.getLongVolatile(4));
            assertTrue(m.getMessage().contains("offset=4"), m.getMessage());
        }
    }

    @Test
    void closedRegionRefusesAccessAndCloseIsIdempotent() throws Exception {
        SharedRegion r = create(64);
        r.close();
        r.close();
        assertFalse(r.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.getInt(0));
        assertTrue(e.getMessage().contains(name));
    }

    @Test
    void existsMissingAndUnlink() throws Exception {
        try (SharedRegion r = create(64)) {
            ObjectExistsException e = assertThrows(ObjectExistsException.class,
                    () -> Ipc.openRegion("shm:/" + name + "?exclusive&size=64"));
            assertTrue(e.getMessage().contains(name));
            try (SharedRegion again = create(64)) {   // create without exclusive opens it
                assertEquals(64, again.size());
            }
            IpcProtocolException size = assertThrows(IpcProtocolException.class,
                    () -> Ipc.openRegion("shm:/" + name + "?size=128"));
            assertTrue(size.getMessage().contains("size=64") && size.getMessage().contains("size=128"), size.getMessage());
            r.unlink();
            assertThrows(ObjectNotFoundException.class, r::unlink);
            r.putInt(0, 1);   // the mapping outlives the name
            ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class,
                    () -> Ipc.openRegion("shm:/" + name));
            assertTrue(missing.getMessage().contains("create"), missing.getMessage());
        }
    }

    @Test
    void badSizesAndNamesAreRefused() throws Exception {
        for (String size : List.of("0", "-1")) {
            InvalidAddressException e = assertThrows(InvalidAddressException.class,
                    () -> Ipc.openRegion("shm:/" + name + "?create&size=" + size));
            assertTrue(e.getMessage().contains("size"), e.getMessage());
        }
        InvalidAddressException noSize = assertThrows(InvalidAddressException.class,
                () -> Ipc.openRegion("shm:/" + name + "?create"));
        assertTrue(noSize.getMessage().contains("size="), noSize.getMessage());
        ResourceLimitException full = assertThrows(ResourceLimitException.class,
                () -> Ipc.openRegion("shm:/" + name + "?create&size=64TiB"));
        assertTrue(full.getMessage().contains("free="), full.getMessage());
        assertFalse(Files.exists(Names.path(name)));
        assertThrows(InvalidAddressException.class, () -> Ipc.openRegion("shm:/a/b?create&size=64"));
        assertThrows(InvalidAddressException.class, () -> Ipc.openRegion("shm:/" + "x".repeat(256) + "?create&size=64"));
        assertThrows(InvalidAddressException.class, () -> Ipc.openRegion("shm:/..?create&size=64"));
        InvalidAddressException key = assertThrows(InvalidAddressException.class,
                () -> Ipc.openRegion("shm:/" + name + "?create&size=64&colour=red"));
        assertTrue(key.getMessage().contains("colour") && key.getMessage().contains("raw"), key.getMessage());
    }

    @Test
    void foreignTruncatedAndTooSmallFilesAreRefusedWithWhatWasFound() throws Exception {
        Path path = Names.path(name);
        Files.write(path, new byte[4096]);
        IpcProtocolException magic = assertThrows(IpcProtocolException.class, () -> Ipc.openRegion("shm:/" + name));
        assertTrue(magic.getMessage().contains("magic=0x0") && magic.getMessage().contains("raw"), magic.getMessage());

        Files.write(path, new byte[10]);
        IpcProtocolException small = assertThrows(IpcProtocolException.class, () -> Ipc.openRegion("shm:/" + name));
        assertTrue(small.getMessage().contains("size=10"), small.getMessage());
        Files.delete(path);

        try (SharedRegion r = create(4096)) {
            r.putInt(0, 1);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        IpcProtocolException truncated = assertThrows(IpcProtocolException.class, () -> Ipc.openRegion("shm:/" + name));
        assertTrue(truncated.getMessage().contains("1000") && truncated.getMessage().contains("4224"),
                truncated.getMessage());

        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 99), 8);
        }
        IpcProtocolException version = assertThrows(IpcProtocolException.class, () -> Ipc.openRegion("shm:/" + name));
        assertTrue(version.getMessage().contains("version=99"), version.getMessage());
    }

    @Test
    void symlinkAtTheNameIsRefusedAndItsTargetUntouched() throws Exception {
        Path target = Files.createTempFile("ipc4j-target", ".bin");
        try {
            Files.createSymbolicLink(Names.path(name), target);
            IpcProtocolException e = assertThrows(IpcProtocolException.class, () -> create(64));
            assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            assertEquals(0, Files.size(target));
        } finally {
            Files.deleteIfExists(target);
        }
    }

    @Test
    void strayFaultDoesNotKillTheJvm() throws Exception {
        try (SharedRegion r = create(1 << 20)) {
            try (FileChannel ch = FileChannel.open(Names.path(name), StandardOpenOption.WRITE)) {
                ch.truncate(4096);
            }
            // HotSpot reports the fault at a safepoint: inside the call (converted to IpcException) or,
            // from compiled code, a little later as InternalError. Either way the JVM lives on.
            Throwable t = assertThrows(Throwable.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    r.getLong(512 * 1024);
                }
            });
            if (t instanceof UncheckedIOException) {
                assertInstanceOf(IpcException.class, t.getCause());
                assertTrue(t.getMessage().contains("truncated"), t.getMessage());
            } else {
                assertInstanceOf(InternalError.class, t);
            }
            assertEquals(0, r.getLong(0));
        }
    }

    @Test
    void twoJvmsEachAddAMillionAtomically() throws Exception {
        try (SharedRegion r = create(64);
                PeerJvm a = Peers.of(RegionAdderPeer.class).name("adder-a").args("shm:/" + name, "1000000").start();
                PeerJvm b = Peers.of(RegionAdderPeer.class).name("adder-b").args("shm:/" + name, "1000000").start()) {
            a.awaitReady(T);
            b.awaitReady(T);
            a.sendLine("go");
            b.sendLine("go");
            a.assertExit(0, T);
            b.assertExit(0, T);
            assertEquals(2_000_000, r.getLongVolatile(0));
        }
    }

    @Test
    void pythonSharedMemoryPeerReadsAndWritesARawRegion() throws Exception {
        try (SharedRegion r = Ipc.openRegion("shm:/" + name + "?create&size=4096&raw")) {
            assertEquals(4096, Files.size(Names.path(name)));
            r.write(0, "from java".getBytes(StandardCharsets.US_ASCII), 0, 9);
            String script = String.join("\n",
                    "import sys",
                    "from multiprocessing import shared_memory, resource_tracker",
                    "shm = shared_memory.SharedMemory(name=sys.argv[1])",
                    "resource_tracker.unregister(shm._name, 'shared_memory')",
                    "print(bytes(shm.buf[0:9]).decode())",
                    "shm.buf[100:111] = b'from python'",
                    "shm.close()");
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, name).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertEquals("from java", out.trim());
            byte[] back = new byte[11];
            r.read(100, back, 0, 11);
            assertEquals("from python", new String(back, StandardCharsets.US_ASCII));
            assertTrue(Files.exists(Names.path(name)), "python must not unlink it");
        }
    }

    @Test
    void cShmOpenPeerReadsAndWritesARawRegion() throws Exception {
        Path dir = Path.of("target", "cpeers");
        Files.createDirectories(dir);
        Path src = dir.resolve("shm_peer.c");
        Files.writeString(src, String.join("\n",
                "#include <fcntl.h>",
                "#include <stdio.h>",
                "#include <string.h>",
                "#include <sys/mman.h>",
                "#include <unistd.h>",
                "int main(int argc, char **argv) {",
                "  int fd = shm_open(argv[1], O_RDWR, 0);",
                "  if (fd < 0) { perror(\"shm_open\"); return 2; }",
                "  char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);",
                "  if (p == MAP_FAILED) { perror(\"mmap\"); return 3; }",
                "  printf(\"%.6s\\n\", p);",
                "  __atomic_fetch_add((long *) (p + 64), 5, __ATOMIC_SEQ_CST);",
                "  memcpy(p + 200, \"from c\", 6);",
                "  munmap(p, 4096); close(fd); return 0;",
                "}", ""));
        Path exe = dir.resolve("shm_peer");
        Process cc = new ProcessBuilder("gcc", "-O2", "-o", exe.toString(), src.toString()).redirectErrorStream(true).start();
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, cc.exitValue(), new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try (SharedRegion r = Ipc.openRegion("shm:/" + name + "?create&size=4096&raw")) {
            r.write(0, "java!!".getBytes(StandardCharsets.US_ASCII), 0, 6);
            r.putLongVolatile(64, 10);
            Process p = new ProcessBuilder(exe.toString(), "/" + name).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertEquals("java!!", out.trim());
            assertEquals(15, r.getLongVolatile(64));
            byte[] back = new byte[6];
            r.read(200, back, 0, 6);
            assertEquals("from c", new String(back, StandardCharsets.US_ASCII));
        }
    }
}
