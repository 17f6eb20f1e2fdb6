package org.ipc4j.testkit.mapped;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Semaphore;

/**
 * The kit's own cross-process semaphore: a count in a mapped file in {@code /dev/shm}, taken with
 * compare-and-set, waited for by polling every 50 microseconds. Test scope only; just enough to run
 * the contract's peer JVM cases inside the kit's own build.
 */
final class SemaphoreMapped implements Semaphore {
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final String address;
    private final String name;
    private final Path path;
    private final ByteBuffer count;
    private volatile boolean closed;

    private SemaphoreMapped(String address, String name, Path path, ByteBuffer count) {
        this.address = address;
        this.name = name;
        this.path = path;
        this.count = count;
    }

    static SemaphoreMapped open(String address, String name, boolean create, int initial) throws IOException {
        Path path = MappedFiles.path("sem", name);
        if (create && !Files.exists(path)) {
            MappedFiles.createWith(path, 64, initial);
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new SemaphoreMapped(address, name, path,
                    ch.map(FileChannel.MapMode.READ_WRITE, 0, 4).order(ByteOrder.nativeOrder()));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(address, "semaphore '" + name + "' does not exist; add ?create", e);
        }
    }

    private void checkOpen() throws ChannelClosedException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
    }

    private boolean take() {
        int c = (int) INT.getVolatile(count, 0);
        return c > 0 && INT.compareAndSet(count, 0, c, c - 1);
    }

    /** Waits until a permit is taken (true) or the deadline passes (false); 0 means no deadline. */
    private boolean await(long deadline, boolean timed) throws IOException {
        checkOpen();
        while (true) {
            if (take()) {
                return true;
            }
            if (closed) {
                throw new AsyncClosedException(address);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("wait on semaphore '" + name + "' was interrupted; no permit taken");
            }
            if (timed && System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void acquire() throws IOException {
        await(0, false);
    }

    @Override
    public boolean tryAcquire() throws IOException {
        checkOpen();
        while (true) {
            int c = (int) INT.getVolatile(count, 0);
            if (c <= 0) {
                return false;
            }
            if (INT.compareAndSet(count, 0, c, c - 1)) {
                return true;
            }
        }
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws IOException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        return await(System.nanoTime() + timeout.toNanos(), true);
    }

    @Override
    public void release() throws IOException {
        checkOpen();
        INT.getAndAdd(count, 0, 1);
    }

    @Override
    public int availablePermits() throws IOException {
        checkOpen();
        return (int) INT.getVolatile(count, 0);
    }

    @Override
    public void unlink() throws IOException {
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(address, "semaphore '" + name + "' was already removed", e);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
