package org.ipc4j.testkit.mapped;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where the kit's mapped test objects live, and how a file appears whole: written aside, then linked in. */
final class MappedFiles {
    private MappedFiles() {
    }

    static Path path(String kind, String name) {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("ipc4j-kit-" + kind + "-" + name.replace('/', '_'));
    }

    /** Creates {@code path} holding {@code size} zero bytes, unless it exists (another opener won). */
    static void createFilled(Path path, long size) throws IOException {
        createWith(path, size, 0);
    }

    /** As {@link #createFilled}, with {@code ints} at offsets 0, 4, 8... (native order). */
    static void createWith(Path path, long size, int... ints) throws IOException {
        Path tmp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
        try {
            try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
                f.setLength(size);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(4 * ints.length).order(ByteOrder.nativeOrder());
                for (int i : ints) {
                    b.putInt(i);
                }
                b.flip();
                ch.write(b, 0);
            }
            try {
                Files.createLink(path, tmp); // appears whole, or not at all if another opener was first
            } catch (FileAlreadyExistsException e) {
                // another opener created it first: use theirs
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
