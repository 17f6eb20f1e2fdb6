package org.ipc4j.socket.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls {@link DescriptorIo} makes on a socket descriptor, bound through JNA direct mapping
 * (no per-call reflection). Errors are read with {@link Native#getLastError()} right after the call.
 * Linux x86-64 and aarch64 constants.
 */
final class DescriptorCalls {
    static final int MSG_DONTWAIT = 0x40;
    /** On a datagram socket: recv returns the datagram's real length even when it was cut. */
    static final int MSG_TRUNC = 0x20;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EMSGSIZE = 90;
    static final int ECONNREFUSED = 111;
    static final int SHUT_RDWR = 2;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 0x800;
    /**
     * The signal the JDK itself sends to wake a thread blocked in a socket call (__SIGRTMAX - 2 in
     * libnet's linux_close.c and libnio's NativeThread.c), which both give a handler that does nothing
     * and no SA_RESTART, so a blocked call returns EINTR.
     */
    static final int WAKE_SIGNAL = 64 - 2;
    private static final int SA_RESTART = 0x10000000;
    /** glibc's struct sigaction on 64-bit Linux: handler, 128-byte mask, int flags, restorer. */
    private static final int SIGACTION_SIZE = 152;
    private static final int SIGACTION_FLAGS = 8 + 128;

    private static final Throwable UNAVAILABLE;

    static {
        Throwable failure = null;
        try {
            Native.register(DescriptorCalls.class, Platform.C_LIBRARY_NAME);
            failure = checkWakeSignal();
        } catch (Throwable t) {
            failure = t;
        }
        UNAVAILABLE = failure;
    }

    private DescriptorCalls() {
    }

    /** Why these calls cannot be used here, or null if they can. */
    static Throwable unavailable() {
        return UNAVAILABLE;
    }

    /** The wake signal must interrupt a blocked call: a handler installed, without SA_RESTART. */
    private static Throwable checkWakeSignal() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return new UnsupportedOperationException("descriptor calls are written for 64-bit Linux");
        }
        // the JDK installs the handler when its networking library loads; make sure it has
        try {
            java.nio.channels.SocketChannel.open().close();
        } catch (java.io.IOException e) {
            return e;
        }
        Memory old = new Memory(SIGACTION_SIZE);
        old.clear();
        if (sigaction(WAKE_SIGNAL, null, old) != 0) {
            return new IllegalStateException("sigaction(" + WAKE_SIGNAL + ") failed: errno=" + Native.getLastError());
        }
        long handler = Pointer.nativeValue(old.getPointer(0));
        int flags = old.getInt(SIGACTION_FLAGS);
        if (handler == 0 || handler == 1 || (flags & SA_RESTART) != 0) {
            return new IllegalStateException("signal " + WAKE_SIGNAL + " has no handler that interrupts a blocked call"
                    + " (handler=" + handler + ", flags=0x" + Integer.toHexString(flags) + ")");
        }
        return null;
    }

    static native long recv(int fd, long buffer, long length, int flags);

    static native long send(int fd, long buffer, long length, int flags);

    /** {@code msghdr} is 56 bytes on 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags. */
    static native long sendmsg(int fd, long msghdr, int flags);

    static native int poll(long fds, long count, int timeoutMillis);

    static native int shutdown(int fd, int how);

    /** {@code length} points to a socklen_t holding the room at {@code address}, and gets the length used. */
    static native int getsockname(int fd, long address, long length);

    static native int getpeername(int fd, long address, long length);

    static native int fcntl(int fd, int command, int argument);

    /** The calling thread's kernel id. */
    static native int gettid();

    static native int getpid();

    /** Signals one thread by kernel id; ESRCH once that thread has ended (pthread_kill would touch freed memory). */
    static native int tgkill(int tgid, int tid, int signal);

    static native int sigaction(int signal, Pointer action, Pointer old);
}
