package org.ipc4j.testkit.broken.semaphore;

import java.io.IOException;
import java.time.Duration;
import org.ipc4j.Semaphore;

/** An {@code inproc:} semaphore with one {@link SemaphoreFault}. */
final class BrokenSemaphore implements Semaphore {
    private final Semaphore delegate;
    private final SemaphoreFault fault;
    private final String address;

    BrokenSemaphore(Semaphore delegate, SemaphoreFault fault, String address) {
        this.delegate = delegate;
        this.fault = fault;
        this.address = address;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void acquire() throws IOException {
        delegate.acquire();
    }

    @Override
    public boolean tryAcquire() throws IOException {
        return delegate.tryAcquire();
    }

    @Override
    public boolean tryAcquire(Duration timeout) throws IOException {
        return delegate.tryAcquire(timeout) || fault == SemaphoreFault.TIMED_NEVER_FALSE;
    }

    @Override
    public void release() throws IOException {
        if (fault == SemaphoreFault.MISCOUNTS_PERMITS && delegate.availablePermits() == 0) {
            delegate.release();
        }
        delegate.release();
    }

    @Override
    public int availablePermits() throws IOException {
        return delegate.availablePermits();
    }

    @Override
    public void unlink() throws IOException {
        delegate.unlink();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
