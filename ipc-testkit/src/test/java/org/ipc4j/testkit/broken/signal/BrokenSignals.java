package org.ipc4j.testkit.broken.signal;

import java.io.IOException;
import org.ipc4j.IpcException;
import org.ipc4j.Signal;
import org.ipc4j.SignalHandler;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.ipc4j.inproc.InprocProvider;

/** The {@code inproc} signal service with one {@link SignalFault}. */
final class BrokenSignals implements SignalService {
    private final SignalService delegate = new InprocProvider().signals().orElseThrow();
    private final SignalFault fault;

    BrokenSignals(SignalFault fault) {
        this.fault = fault;
    }

    @Override
    public SignalRegistration handle(Signal signal, SignalHandler handler) throws IpcException {
        if (fault == SignalFault.ACCEPTS_RESERVED && signal != null && handler != null && !signal.isHandleable()) {
            return registration(signal, () -> { }); // accepted, never installed: nothing reaches the JVM
        }
        SignalRegistration real = delegate.handle(signal, handler);
        if (fault == SignalFault.CLOSE_DOES_NOT_RESTORE) {
            return registration(signal, () -> { }); // the handler stays
        }
        return real;
    }

    private static SignalRegistration registration(Signal signal, Runnable onClose) {
        return new SignalRegistration() {
            @Override
            public Signal signal() {
                return signal;
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    @Override
    public void send(long pid, Signal signal) throws IOException {
        delegate.send(pid, signal);
    }

    @Override
    public void send(long pid, Signal signal, int value) throws IOException {
        delegate.send(pid, signal, value);
    }
}
