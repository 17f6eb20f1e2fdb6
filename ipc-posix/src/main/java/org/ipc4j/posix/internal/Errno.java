package org.ipc4j.posix.internal;

import org.ipc4j.IpcException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.ObjectRemovedException;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.ResourceLimitException;

/**
 * Linux errno values and their conversion into typed exceptions whose message names the call, the
 * object and the reason in words: {@code "mq_open(/jobs) failed: EACCES (errno=13, permission
 * denied); check its owner and mode"}.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ENXIO = 6;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOMSG = 42;
    public static final int EIDRM = 43;
    public static final int ELOOP = 40;
    public static final int EOVERFLOW = 75;
    public static final int EMSGSIZE = 90;
    public static final int ETIMEDOUT = 110;

    private Errno() {
    }

    /** The symbolic name and a few words, such as {@code "EACCES (errno=13, permission denied)"}. */
    public static String describe(int errno) {
        String name;
        String words;
        switch (errno) {
            case EPERM -> { name = "EPERM"; words = "operation not permitted"; }
            case ENOENT -> { name = "ENOENT"; words = "no such object"; }
            case ESRCH -> { name = "ESRCH"; words = "no such process"; }
            case EINTR -> { name = "EINTR"; words = "interrupted by a signal"; }
            case ENXIO -> { name = "ENXIO"; words = "no reader on the other side"; }
            case E2BIG -> { name = "E2BIG"; words = "message bigger than the buffer"; }
            case EBADF -> { name = "EBADF"; words = "bad file descriptor"; }
            case ECHILD -> { name = "ECHILD"; words = "no such child"; }
            case EAGAIN -> { name = "EAGAIN"; words = "resource temporarily unavailable"; }
            case ENOMEM -> { name = "ENOMEM"; words = "out of memory"; }
            case EACCES -> { name = "EACCES"; words = "permission denied"; }
            case EEXIST -> { name = "EEXIST"; words = "already exists"; }
            case ENOTDIR -> { name = "ENOTDIR"; words = "a path component is not a directory"; }
            case EISDIR -> { name = "EISDIR"; words = "is a directory"; }
            case EINVAL -> { name = "EINVAL"; words = "invalid argument"; }
            case ENFILE -> { name = "ENFILE"; words = "too many open files in the system"; }
            case EMFILE -> { name = "EMFILE"; words = "too many open files in this process"; }
            case ENOSPC -> { name = "ENOSPC"; words = "no space left: the file system holding it is full, or a system-wide limit on the number of such objects was reached"; }
            case EPIPE -> { name = "EPIPE"; words = "broken pipe: no reader"; }
            case ERANGE -> { name = "ERANGE"; words = "value out of range"; }
            case ENAMETOOLONG -> { name = "ENAMETOOLONG"; words = "name too long"; }
            case ENOSYS -> { name = "ENOSYS"; words = "not implemented by this kernel"; }
            case ENOMSG -> { name = "ENOMSG"; words = "no message of the desired type"; }
            case EIDRM -> { name = "EIDRM"; words = "the object was removed"; }
            case ELOOP -> { name = "ELOOP"; words = "a symbolic link where none is allowed"; }
            case EOVERFLOW -> { name = "EOVERFLOW"; words = "value too large"; }
            case EMSGSIZE -> { name = "EMSGSIZE"; words = "message too long"; }
            case ETIMEDOUT -> { name = "ETIMEDOUT"; words = "timed out"; }
            default -> { name = "E" + errno; words = "system error"; }
        }
        return name + " (errno=" + errno + ", " + words + ")";
    }

    /**
     * The typed exception for a failed call.
     *
     * @param call the system call, such as {@code mq_open}
     * @param object the object as the user named it, such as {@code /jobs}
     * @param errno the error number
     * @param hint what to do, or null for the default advice of the error's kind
     */
    public static IpcException exception(String call, String object, int errno, String hint) {
        String base = call + "(" + object + ") failed: " + describe(errno);
        switch (errno) {
            case ENOENT:
                return new ObjectNotFoundException(object, base + "; " + or(hint,
                        "it does not exist; add ?create to the address to create it"));
            case ESRCH:
                return new ObjectNotFoundException(object, base + "; " + or(hint, "no process has that pid"));
            case EEXIST:
                return new ObjectExistsException(object, base + "; " + or(hint,
                        "it already exists and exclusive was given; drop exclusive or unlink it first"));
            case EACCES:
            case EPERM:
                return new PermissionDeniedException(object, base + "; " + or(hint, "check its owner and mode"));
            case EIDRM:
                return new ObjectRemovedException(object, base + "; " + or(hint,
                        "it was removed by another process while in use"));
            case EMFILE:
            case ENFILE:
            case ENOSPC:
            case ENOMEM:
                return new ResourceLimitException(object, base + "; " + or(hint,
                        "a system limit was reached; close unused objects or raise the limit"));
            default:
                return new IpcException(object, base + (hint == null ? "" : "; " + hint));
        }
    }

    /** {@link #exception(String, String, int, String)} with this thread's last errno and default advice. */
    public static IpcException last(String call, String object) {
        return exception(call, object, LibC.errno(), null);
    }

    private static String or(String hint, String fallback) {
        return hint == null ? fallback : hint;
    }
}
