package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Every libc function this module calls, in one place, bound with JNA direct mapping
 * ({@link Native#register}). Each returns the raw result; on failure the caller reads
 * {@link Native#getLastError()} (JNA saves {@code errno} right after the call) and turns it into a
 * typed exception with {@link Errno}.
 *
 * <p>Buffers and structures are passed as {@code long} addresses (from {@link Pointer#nativeValue}
 * or a direct buffer) so that no call on a hot path allocates. glibc 2.34+ holds {@code mq_*},
 * {@code sem_*} and {@code posix_spawn*} in libc itself. Variadic functions ({@code open},
 * {@code mq_open}, {@code sem_open}, {@code semctl}) are declared with their fixed arity, which is
 * safe for integer and pointer arguments on x86-64 and arm64.
 */
public final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    // ---- constants (Linux, x86-64 and arm64 generic values) ----
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int FD_CLOEXEC = 1;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int O_ACCMODE = 3;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    public static final int IPC_CREAT = 01000;
    public static final int IPC_EXCL = 02000;
    public static final int IPC_NOWAIT = 04000;
    public static final int IPC_RMID = 0;
    public static final int IPC_STAT = 2;
    public static final int SEM_UNDO = 0x1000;
    public static final int GETVAL = 12;
    public static final int SETVAL = 16;
    public static final int GETNCNT = 14;

    public static final int WNOHANG = 1;
    public static final int SC_MQ_PRIO_MAX = 28;
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;

    /** Offset of {@code st_mode} in {@code struct stat}. */
    public static final int STAT_MODE_OFFSET = Platform.isARM() ? 16 : 24;
    /** Offset of {@code st_nlink} in {@code struct stat} (8 bytes on x86-64, 4 on arm64). */
    public static final int STAT_NLINK_OFFSET = Platform.isARM() ? 20 : 16;
    /** Offset of {@code st_uid} in {@code struct stat}. */
    public static final int STAT_UID_OFFSET = Platform.isARM() ? 24 : 28;
    /** Size of {@code struct stat}, rounded up generously. */
    public static final int STAT_SIZE = 256;
    public static final int S_IFMT = 0170000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFLNK = 0120000;

    // ---- files and descriptors ----
    public static native int open(String path, int flags, int mode);
    public static native int close(int fd);
    public static native long read(int fd, long buf, long count);
    public static native long write(int fd, long buf, long count);
    public static native int pipe2(int[] fds, int flags);
    public static native int mkfifo(String path, int mode);
    public static native int fcntl(int fd, int cmd, int arg);
    public static native int fstat(int fd, long statBuf);
    public static native int fchmod(int fd, int mode);
    public static native int geteuid();
    public static native int lstat(String path, long statBuf);
    public static native int unlink(String path);
    public static native int poll(long fds, long nfds, int timeoutMillis);

    // ---- POSIX message queues ----
    public static native int mq_open(String name, int oflag, int mode, long attr);
    public static native int mq_close(int mqd);
    public static native int mq_unlink(String name);
    public static native int mq_getattr(int mqd, long attr);
    public static native int mq_timedsend(int mqd, long msg, long len, int prio, long absTimeout);
    public static native long mq_timedreceive(int mqd, long msg, long len, long prio, long absTimeout);
    public static native long sysconf(int name);

    // ---- POSIX named semaphores ----
    public static native long sem_open(String name, int oflag, int mode, int value);
    public static native int sem_close(long sem);
    public static native int sem_unlink(String name);
    public static native int sem_trywait(long sem);
    public static native int sem_timedwait(long sem, long absTimeout);
    public static native int sem_post(long sem);
    public static native int sem_getvalue(long sem, long value);

    // ---- SysV IPC ----
    public static native int ftok(String path, int projectId);
    public static native int msgget(int key, int flags);
    public static native int msgsnd(int id, long msgp, long size, int flags);
    public static native long msgrcv(int id, long msgp, long size, long type, int flags);
    public static native int msgctl(int id, int cmd, long buf);
    public static native int semget(int key, int nsems, int flags);
    public static native int semtimedop(int id, long sops, long nsops, long timeout);
    public static native int semctl(int id, int num, int cmd, long arg);

    // ---- processes and signals ----
    public static native int kill(int pid, int sig);
    public static native int sigqueue(int pid, int sig, long value);
    public static native int getpid();
    public static native int clock_gettime(int clock, long timespec);
    public static native int posix_spawn_file_actions_init(long actions);
    public static native int posix_spawn_file_actions_destroy(long actions);
    public static native int posix_spawn_file_actions_adddup2(long actions, int fd, int newFd);
    public static native int posix_spawn_file_actions_addclose(long actions, int fd);
    public static native int posix_spawn_file_actions_addopen(long actions, int fd, String path, int flags, int mode);
    public static native int posix_spawn_file_actions_addclosefrom_np(long actions, int from);
    public static native int posix_spawnp(long pid, String file, long actions, long attr, long argv, long envp);
    public static native int waitpid(int pid, long status, int options);
    public static native int pidfd_open(int pid, int flags);
    public static native int gettid();
    public static native int tgkill(int tgid, int tid, int sig);
    public static native int sigaction(int sig, long action, long oldAction);

    /** The process environment ({@code char **environ}). */
    public static Pointer environ() {
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getGlobalVariableAddress("environ").getPointer(0);
    }

    /** {@code st_nlink} of a {@code struct stat} filled by {@code fstat}/{@code lstat}. */
    public static long statLinks(Memory st) {
        return Platform.isARM() ? st.getInt(STAT_NLINK_OFFSET) : st.getLong(STAT_NLINK_OFFSET);
    }

    /** {@code errno} of this thread's last native call. */
    public static int errno() {
        return Native.getLastError();
    }
}
