package org.ipc4j.shm.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.IpcException;
import org.ipc4j.IpcProtocolException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.ResourceLimitException;

/**
 * A file in {@code /dev/shm} that we created or opened ourselves and mapped whole: created under a
 * temporary name with {@code O_CREAT|O_EXCL|O_NOFOLLOW}, given its exact mode with {@code fchmod},
 * checked with {@code fstat}, its space reserved with {@code posix_fallocate}, initialised, then
 * renamed into place (with {@code RENAME_NOREPLACE} unless replacing). Opened files are opened with
 * {@code O_NOFOLLOW} and must be regular files with one link.
 *
 * <p>The descriptor stays open while the object lives when it carries liveness locks (open file
 * description locks, {@code F_OFD_SETLK}, released by the kernel when the last descriptor closes,
 * including at process death).
 */
public final class ShmFile {
    /** Where {@code shm_open} keeps its files. */
    public static final String SHM_DIR = "/dev/shm/";
    private static final AtomicLong COUNTER = new AtomicLong();

    /** Initialises a freshly created, zeroed mapping before it becomes visible under its name. */
    public interface Initializer {
        void init(Mapping mapping);
    }

    private final String object;
    private final String path;
    private final long size;
    private final long inode;
    private volatile int fd;
    private final Mapping mapping;
    private final Memory probe = new Memory(LibC.FLOCK_SIZE);
    private final long probeAddress = com.sun.jna.Pointer.nativeValue(probe);

    private ShmFile(String object, String path, int fd, long size, long inode, Mapping mapping) {
        this.object = object;
        this.path = path;
        this.fd = fd;
        this.size = size;
        this.inode = inode;
        this.mapping = mapping;
    }

    /** The file path of a shm name such as {@code /jobs}. */
    public static String pathOf(String name) {
        return SHM_DIR + name.substring(1);
    }

    public String path() {
        return path;
    }

    public long size() {
        return size;
    }

    public Mapping mapping() {
        return mapping;
    }

    /**
     * Creates a file of {@code size} bytes and makes it visible at {@code path} once {@code init} ran.
     *
     * @param replace true to replace whatever is at the path (a listener's next rendezvous file)
     * @param lockIndex a byte to lock (liveness) before the file becomes visible, or -1
     * @throws ObjectExistsException if something is already at the path and {@code replace} is false
     * @throws ResourceLimitException if /dev/shm has no room for {@code size} bytes
     */
    public static ShmFile create(String object, String path, long size, int mode, boolean replace, long lockIndex,
            Initializer init) throws IOException {
        String temp = SHM_DIR + ".ipc4j-" + LibC.getpid() + "-" + COUNTER.incrementAndGet() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        int fd = LibC.open(temp, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600);
        if (fd < 0) {
            throw openFailure(object, temp, Native.getLastError(), "create");
        }
        Mapping mapping = null;
        boolean published = false;
        try {
            if (LibC.fchmod(fd, mode) != 0) {
                int errno = Native.getLastError();
                throw new IpcException(object, "fchmod(" + temp + ", 0" + Integer.toOctalString(mode) + ") failed: "
                        + LibC.describe(errno));
            }
            long inode = checkStat(object, temp, fd, true, -1);
            int rc = LibC.posix_fallocate(fd, 0, size);   // returns the error number, not -1
            if (rc != 0) {
                if (rc == 28 || rc == 122 || rc == 27) {
                    long free = freeSpace();
                    throw new ResourceLimitException(object, "no room in /dev/shm for '" + object + "': size=" + size
                            + " bytes, free=" + free + " bytes (posix_fallocate: " + LibC.describe(rc)
                            + "); ask for less or free space in /dev/shm");
                }
                throw new IpcException(object, "posix_fallocate(" + temp + ", size=" + size + ") failed: "
                        + LibC.describe(rc));
            }
            mapping = map(object, temp, fd, size);
            init.init(mapping);
            ShmFile file = new ShmFile(object, path, fd, size, inode, mapping);
            if (lockIndex >= 0 && !file.tryLock(lockIndex)) {
                throw new IpcException(object, "could not lock byte " + lockIndex + " of the new file " + temp);
            }
            int renamed = replace ? LibC.rename(temp, path)
                    : LibC.renameat2(LibC.AT_FDCWD, temp, LibC.AT_FDCWD, path, LibC.RENAME_NOREPLACE);
            if (renamed != 0) {
                int errno = Native.getLastError();
                if (errno == LibC.EEXIST) {
                    throw new ObjectExistsException(object, "'" + object + "' already exists (" + path + ")");
                }
                throw new IpcException(object, "rename(" + temp + ", " + path + ") failed: " + LibC.describe(errno));
            }
            published = true;
            return file;
        } finally {
            if (!published) {
                LibC.unlink(temp);
                if (mapping != null) {
                    mapping.unmap();
                }
                LibC.close(fd);
            }
        }
    }

    /**
     * Opens and maps an existing file.
     *
     * @throws ObjectNotFoundException if it does not exist
     * @throws IpcProtocolException if it is not a regular file with one link, or smaller than {@code minSize}
     */
    public static ShmFile open(String object, String path, long minSize) throws IOException {
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw openFailure(object, path, Native.getLastError(), "open");
        }
        boolean ok = false;
        try {
            long[] sizeOut = new long[1];
            long inode = checkStat(object, path, fd, false, minSize, sizeOut);
            Mapping mapping = map(object, path, fd, sizeOut[0]);
            ok = true;
            return new ShmFile(object, path, fd, sizeOut[0], inode, mapping);
        } finally {
            if (!ok) {
                LibC.close(fd);
            }
        }
    }

    private static long checkStat(String object, String path, int fd, boolean created, long minSize) throws IOException {
        return checkStat(object, path, fd, created, minSize, new long[1]);
    }

    private static long checkStat(String object, String path, int fd, boolean created, long minSize, long[] sizeOut)
            throws IOException {
        try (Memory stat = new Memory(LibC.STAT_SIZE)) {
            if (LibC.fstat(fd, com.sun.jna.Pointer.nativeValue(stat)) != 0) {
                throw new IpcException(object, "fstat(" + path + ") failed: " + LibC.describe(Native.getLastError()));
            }
            int mode = stat.getInt(LibC.STAT_MODE);
            long links = stat.getLong(LibC.STAT_NLINK);
            int uid = stat.getInt(LibC.STAT_UID);
            long size = stat.getLong(LibC.STAT_SIZE_FIELD);
            if ((mode & LibC.S_IFMT) != LibC.S_IFREG) {
                throw new IpcProtocolException(object, path + " is not a regular file (mode=0"
                        + Integer.toOctalString(mode) + "); refusing to map it for '" + object + "'");
            }
            if (links != 1) {
                throw new IpcProtocolException(object, path + " has links=" + links
                        + "; a shared-memory file must have exactly one name, refusing '" + object + "'");
            }
            if (created && uid != LibC.geteuid()) {
                throw new IpcProtocolException(object, path + " was created with uid=" + uid + ", expected uid="
                        + LibC.geteuid());
            }
            if (size < minSize) {
                throw new IpcProtocolException(object, path + " is truncated: size=" + size
                        + " bytes, smaller than the header of " + minSize + " bytes; it is not an intact ipc4j "
                        + "object (open it with ?raw to map it as plain bytes)");
            }
            if (!created && size == 0) {
                throw new IpcProtocolException(object, path + " is empty (size=0); nothing to map for '" + object + "'");
            }
            sizeOut[0] = size;
            return stat.getLong(LibC.STAT_INO);
        }
    }

    private static Mapping map(String object, String path, int fd, long size) throws IOException {
        long address = LibC.mmap(0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (address == LibC.MAP_FAILED) {
            int errno = Native.getLastError();
            throw new ResourceLimitException(object, "mmap(" + path + ", size=" + size + ") failed: "
                    + LibC.describe(errno) + "; check vm.max_map_count and the address space");
        }
        return new Mapping(address, size);
    }

    private static IOException openFailure(String object, String path, int errno, String what) {
        String base = what + "(" + path + ") for '" + object + "' failed: " + LibC.describe(errno);
        switch (errno) {
            case LibC.ENOENT:
                return new ObjectNotFoundException(object, "'" + object + "' does not exist (" + path
                        + "); add ?create to create it");
            case LibC.EACCES:
            case 1:
                return new PermissionDeniedException(object, base + "; check the file's owner and mode");
            case 40:
                return new IpcProtocolException(object, base + ": " + path + " is a symbolic link; refused");
            case 23:
            case 24:
                return new ResourceLimitException(object, base + "; too many open files (ulimit -n)");
            case 28:
                return new ResourceLimitException(object, base + "; /dev/shm is full");
            default:
                return new IpcException(object, base);
        }
    }

    /** Free bytes in /dev/shm, or -1 if unknown. */
    public static long freeSpace() {
        try {
            return Files.getFileStore(Path.of(SHM_DIR)).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Takes the exclusive open-file-description lock on byte {@code index} without waiting.
     *
     * @return false if another descriptor holds it
     */
    public boolean tryLock(long index) throws IOException {
        try (Memory flock = flock(LibC.F_WRLCK, index)) {
            if (LibC.fcntl(fd, LibC.F_OFD_SETLK, com.sun.jna.Pointer.nativeValue(flock)) == 0) {
                return true;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EAGAIN || errno == LibC.EACCES) {
                return false;
            }
            throw new IpcException(object, "fcntl(F_OFD_SETLK, " + path + ") failed: " + LibC.describe(errno));
        }
    }

    /** Releases the lock on byte {@code index}. */
    public void unlock(long index) {
        try (Memory flock = flock(LibC.F_UNLCK, index)) {
            LibC.fcntl(fd, LibC.F_OFD_SETLK, com.sun.jna.Pointer.nativeValue(flock));
        }
    }

    /** True if some other open file description holds the lock on byte {@code index}: its owner lives. */
    public boolean isLockedByOther(long index) throws IOException {
        synchronized (this) {   // one preallocated struct flock (this runs in wait loops); and no close meanwhile
            if (fd < 0) {
                throw new AsyncClosedException(object);   // closed under a lock-free caller: never ask a reused number
            }
            probe.clear();
            probe.setShort(0, LibC.F_WRLCK);
            probe.setLong(8, index);
            probe.setLong(16, 1);
            if (LibC.fcntl(fd, LibC.F_OFD_GETLK, probeAddress) != 0) {
                throw new IpcException(object, "fcntl(F_OFD_GETLK, " + path + ") failed: "
                        + LibC.describe(Native.getLastError()));
            }
            return probe.getShort(0) != LibC.F_UNLCK;
        }
    }

    private static Memory flock(short type, long index) {
        Memory flock = new Memory(LibC.FLOCK_SIZE);
        flock.clear();
        flock.setShort(0, type);
        flock.setShort(2, (short) 0);   // SEEK_SET
        flock.setLong(8, index);
        flock.setLong(16, 1);
        return flock;
    }

    /**
     * Removes the name if it still names this file.
     *
     * @return false if the name is gone or names another file now
     */
    public boolean unlinkIfOurs() {
        try {
            Object ino = Files.getAttribute(Path.of(path), "unix:ino", LinkOption.NOFOLLOW_LINKS);
            if (ino instanceof Long && (Long) ino == inode) {
                return LibC.unlink(path) == 0;
            }
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Closes the descriptor (releasing its locks); keeps the mapping. Idempotent. */
    public synchronized void closeDescriptor() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
        }
    }

    /**
     * Closes the descriptor (releasing its locks) and swaps the file's pages out of the mapping
     * ({@link Mapping#retire()}), leaving the address range for a later {@link Mapping#unmap()}.
     *
     * @return false if the mapping could not be swapped: it then still shows the file
     */
    public boolean retire() {
        boolean swapped = mapping.retire();
        closeDescriptor();
        return swapped;
    }

    /** Unmaps and closes. Idempotent. */
    public void close() {
        mapping.unmap();
        closeDescriptor();
    }

    /** The start time of this process in clock ticks after boot ({@code /proc/self/stat} field 22), or 0. */
    public static long processStartTime() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/stat"));
            String line = lines.get(0);
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);   // field 22; fields after ')' start at field 3
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
