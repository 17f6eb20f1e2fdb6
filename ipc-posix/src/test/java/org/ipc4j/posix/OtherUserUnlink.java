package org.ipc4j.posix;

import java.io.IOException;
import org.ipc4j.posix.internal.Errno;
import org.ipc4j.posix.internal.LibC;

/**
 * How another user would remove a POSIX or SysV object by name without opening it, for the
 * permission suite's probe peer ({@code Attempt.unlinkBy}): the system call itself, its errno turned
 * into the library's typed exception.
 */
public final class OtherUserUnlink {
    private OtherUserUnlink() {
    }

    /** {@code mq_unlink(name)}. */
    public static void mq(String name) throws IOException {
        if (LibC.mq_unlink(name) != 0) {
            throw Errno.exception("mq_unlink", name, LibC.errno(), null);
        }
    }

    /** {@code sem_unlink(name)}. */
    public static void sem(String name) throws IOException {
        if (LibC.sem_unlink(name) != 0) {
            throw Errno.exception("sem_unlink", name, LibC.errno(), null);
        }
    }

    /** {@code msgget(key, 0)} (which checks no permission) then {@code msgctl(IPC_RMID)}. */
    public static void sysvmq(String key) throws IOException {
        int id = LibC.msgget(Integer.parseInt(key), 0);
        if (id < 0 || LibC.msgctl(id, LibC.IPC_RMID, 0L) != 0) {
            throw Errno.exception(id < 0 ? "msgget" : "msgctl(IPC_RMID)", key, LibC.errno(), null);
        }
    }

    /** {@code semget(key, 0, 0)} (which checks no permission) then {@code semctl(IPC_RMID)}. */
    public static void sysvsem(String key) throws IOException {
        int id = LibC.semget(Integer.parseInt(key), 0, 0);
        if (id < 0 || LibC.semctl(id, 0, LibC.IPC_RMID, 0L) != 0) {
            throw Errno.exception(id < 0 ? "semget" : "semctl(IPC_RMID)", key, LibC.errno(), null);
        }
    }
}
