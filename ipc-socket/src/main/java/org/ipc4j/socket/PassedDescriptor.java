package org.ipc4j.socket;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * An open file descriptor received from the peer over a Unix stream socket (SCM_RIGHTS). The
 * receiver owns it: turn it into a usable object with {@link #as(Class)}, or {@link #close()} it.
 *
 * <pre>{@code
 * try (DescriptorChannel c = DescriptorChannel.of(Ipc.connect("unix:/run/app.sock"))) {
 *     byte[] note = c.receive();
 *     PassedDescriptor fd = c.receivedDescriptors().get(0);
 *     try (FileInputStream in = fd.as(FileInputStream.class)) { ... }
 * }
 * }</pre>
 */
public final class PassedDescriptor implements Closeable {
    private final FileDescriptor descriptor;

    /** @param descriptor the received descriptor, now owned by this object */
    public PassedDescriptor(FileDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    /** The descriptor itself. */
    public FileDescriptor fileDescriptor() {
        return descriptor;
    }

    /**
     * The descriptor as {@code type}: {@link java.io.FileInputStream}, {@link java.io.FileOutputStream},
     * {@link java.nio.channels.FileChannel} (read and write, for a file or a memfd to map), or a socket
     * type. The returned object shares this descriptor: closing either closes it. A FileChannel is
     * opened anew on {@code /proc/self/fd/N} (read and write if allowed, else read only) and this
     * descriptor is closed: junixsocket's own FileChannel cast goes through a temporary file it
     * deletes afterwards, which as root can be {@code /dev/null}.
     *
     * @throws IOException if the descriptor cannot be that type (for example a pipe as a FileChannel to map)
     */
    public <T> T as(Class<T> type) throws IOException {
        if (type == java.nio.channels.FileChannel.class) {
            int fd = FileDescriptorCast.using(descriptor).as(Integer.class);
            java.nio.file.Path path = java.nio.file.Path.of("/proc/self/fd/" + fd);
            java.nio.channels.FileChannel channel;
            try {
                channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ,
                        java.nio.file.StandardOpenOption.WRITE);
            } catch (java.nio.file.AccessDeniedException e) {
                channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ);
            }
            close();
            return type.cast(channel);
        }
        return FileDescriptorCast.using(descriptor).as(type);
    }

    /** Closes the descriptor. Idempotent. */
    @Override
    public void close() throws IOException {
        if (descriptor.valid()) {
            FileDescriptorCast.using(descriptor).as(java.io.FileInputStream.class).close();
        }
    }

    @Override
    public String toString() {
        return "PassedDescriptor[" + descriptor + "]";
    }
}
