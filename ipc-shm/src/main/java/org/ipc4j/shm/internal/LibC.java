package org.ipc4j.shm.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The libc functions this module calls, bound with JNA direct mapping. Each returns the raw result;
 * on failure the caller reads {@link Native#getLastError()} and names it with {@link #errnoName(int)}.
 * Structures and strings are passed as {@code long} addresses so that hot paths ({@code syscall}
 * for futex) do not allocate. Variadic {@code open} and {@code fcntl} are declared with their fixed
 * arity, which is safe for integer and pointer arguments on x86-64 and arm64.
 */
public final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final long MAP_FAILED = -1L;
    public static final int AT_FDCWD = -100;
    public static final int RENAME_NOREPLACE = 1;
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final short F_WRLCK = 1;
    public static final short F_UNLCK = 2;
    /** x86-64 {@code SYS_futex}; 98 on arm64. */
    public static final long SYS_FUTEX = "aarch64".equals(System.getProperty("os.arch")) ? 98 : 202;
    public static final int FUTEX_WAIT = 0;
    public static final int FUTEX_WAKE = 1;

    /** {@code struct stat} on x86-64: size and the offsets we read. */
    public static final int STAT_SIZE = 144;
    public static final int STAT_INO = 8;
    public static final int STAT_NLINK = 16;
    public static final int STAT_MODE = 24;
    public static final int STAT_UID = 28;
    public static final int STAT_SIZE_FIELD = 48;
    /** {@code struct flock}: l_type (short) at 0, l_whence (short) at 2, l_start at 8, l_len at 16, l_pid at 24. */
    public static final int FLOCK_SIZE = 32;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENOENT = 2;
    public static final int ETIMEDOUT = 110;

    public static native int open(String path, int flags, int mode);

    public static native int close(int fd);

    public static native int fstat(int fd, long statBuf);

    public static native int fchmod(int fd, int mode);

    public static native int posix_fallocate(int fd, long offset, long length);

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    public static native int unlink(String path);

    public static native int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    public static native int rename(String oldpath, String newpath);

    public static native int fcntl(int fd, int cmd, long flock);

    public static native int geteuid();

    public static native int getpid();

    public static native long syscall(long number, long address, int op, int value, long timeout, long address2,
            int value3);

    /** The symbolic name of an errno value, for messages. */
    public static String errnoName(int errno) {
        switch (errno) {
            case 1: return "EPERM";
            case ENOENT: return "ENOENT";
            case EINTR: return "EINTR";
            case 9: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case 12: return "ENOMEM";
            case EACCES: return "EACCES";
            case EEXIST: return "EEXIST";
            case 20: return "ENOTDIR";
            case 21: return "EISDIR";
            case 22: return "EINVAL";
            case 23: return "ENFILE";
            case 24: return "EMFILE";
            case 27: return "EFBIG";
            case 28: return "ENOSPC";
            case 36: return "ENAMETOOLONG";
            case 38: return "ENOSYS";
            case 40: return "ELOOP";
            case 95: return "EOPNOTSUPP";
            case ETIMEDOUT: return "ETIMEDOUT";
            case 122: return "EDQUOT";
            default: return "errno " + errno;
        }
    }

    /** {@code "EACCES (errno=13)"}. */
    public static String describe(int errno) {
        return errnoName(errno) + " (errno=" + errno + ")";
    }
}
