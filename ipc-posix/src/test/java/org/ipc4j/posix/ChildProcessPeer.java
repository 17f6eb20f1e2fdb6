package org.ipc4j.posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Signal;
import org.ipc4j.testkit.PeerProcess;

/** A {@link ChildProcess} seen as a {@link Process}, so the test kit's {@link PeerProcess} can drive it. */
final class ChildProcessPeer extends Process {
    private final ChildProcess child;

    private ChildProcessPeer(ChildProcess child) {
        this.child = child;
    }

    /** Wraps a child started with stdin, stdout and stderr as pipes. */
    static PeerProcess wrap(String name, ChildProcess child) {
        return new PeerProcess(name, new ChildProcessPeer(child)) {
        };
    }

    @Override
    public OutputStream getOutputStream() {
        return child.stdin();
    }

    @Override
    public InputStream getInputStream() {
        return child.stdout();
    }

    @Override
    public InputStream getErrorStream() {
        return child.stderr();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return child.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            return child.waitFor(Duration.ofNanos(unit.toNanos(timeout))).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int exitValue() {
        try {
            return child.waitFor(Duration.ZERO).orElseThrow(() -> new IllegalThreadStateException("still running"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isAlive() {
        try {
            return child.isAlive();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void destroy() {
        try {
            child.kill(Signal.TERM);
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public Process destroyForcibly() {
        try {
            child.kill(Signal.KILL);
        } catch (IOException e) {
            // already gone
        }
        return this;
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public ProcessHandle toHandle() {
        return ProcessHandle.of(child.pid()).orElseThrow(() -> new UnsupportedOperationException("exited"));
    }
}
