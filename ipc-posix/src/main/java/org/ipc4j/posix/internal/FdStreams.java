package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Blocking byte streams over a pipe descriptor this process owns, for a child's standard streams. */
public final class FdStreams {
    private FdStreams() {
    }

    private static final class FdHandle extends Handle {
        final int fd;

        FdHandle(String object, int fd) {
            super(object);
            this.fd = fd;
        }

        @Override
        protected void freeNative() {
            LibC.close(fd);
        }
    }

    /** An input stream that owns {@code fd}. */
    public static InputStream input(String object, int fd) {
        FdHandle h = new FdHandle(object, fd);
        return new InputStream() {
            private final Memory buffer = new Memory(8192);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                h.begin();
                try {
                    synchronized (buffer) {
                        while (true) {
                            long n = LibC.read(fd, Pointer.nativeValue(buffer), Math.min(len, 8192));
                            if (n > 0) {
                                buffer.read(0, b, off, (int) n);
                                return (int) n;
                            }
                            if (n == 0) {
                                return -1;
                            }
                            if (LibC.errno() != Errno.EINTR) {
                                throw Errno.last("read", h.object());
                            }
                        }
                    }
                } finally {
                    h.end();
                }
            }

            @Override
            public void close() {
                h.close();
            }
        };
    }

    /** An output stream that owns {@code fd}. */
    public static OutputStream output(String object, int fd) {
        FdHandle h = new FdHandle(object, fd);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                h.begin();
                try (Memory m = new Memory(Math.max(1, len))) {
                    m.write(0, b, off, len);
                    long done = 0;
                    while (done < len) {
                        long n = LibC.write(fd, Pointer.nativeValue(m) + done, len - done);
                        if (n >= 0) {
                            done += n;
                        } else if (LibC.errno() != Errno.EINTR) {
                            throw Errno.last("write", h.object());
                        }
                    }
                } finally {
                    h.end();
                }
            }

            @Override
            public void close() {
                h.close();
            }
        };
    }
}
