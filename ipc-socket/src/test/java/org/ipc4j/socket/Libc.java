package org.ipc4j.socket;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few libc calls tests need to make descriptors to pass. */
interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int pipe(int[] fds);

    int memfd_create(String name, int flags);

    int ftruncate(int fd, long length);

    long write(int fd, byte[] buffer, long count);

    long pread(int fd, byte[] buffer, long count, long offset);

    int close(int fd);

    int getuid();
}
