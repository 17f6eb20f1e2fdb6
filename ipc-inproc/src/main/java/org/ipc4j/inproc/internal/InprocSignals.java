package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.SignalHandler;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated signal bus inside this JVM: {@link #send(long, Signal)} to this process's pid runs the
 * handlers registered for the signal on the daemon thread {@value #THREAD_NAME}, never on the
 * caller's thread, one delivery after another in send order. A pid that no process has gets
 * {@link ObjectNotFoundException}, as from a native backend; any other process's pid gets
 * {@link IpcUnavailableException}. Nothing reaches the operating system:
 * a signal with no handler does nothing (the default action is not simulated), and other processes
 * cannot be reached.
 */
public final class InprocSignals implements SignalService {
    /** The name of the thread that runs handlers. */
    public static final String THREAD_NAME = "inproc-signal";
    /** The one bus of this JVM. */
    public static final InprocSignals INSTANCE = new InprocSignals();

    private static final Logger LOG = LoggerFactory.getLogger(InprocSignals.class);

    private final Map<Signal, List<Registration>> handlers = new ConcurrentHashMap<>();
    /** One thread, started on first delivery and ended after a short idle time: never leaked. */
    private final ThreadPoolExecutor dispatcher = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), runnable -> {
                Thread t = new Thread(runnable, THREAD_NAME);
                t.setDaemon(true);
                return t;
            });

    private InprocSignals() {
        dispatcher.allowCoreThreadTimeOut(true);
    }

    @Override
    public SignalRegistration handle(Signal signal, SignalHandler handler) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(handler, "handler");
        if (!signal.isHandleable()) {
            throw new IllegalArgumentException("cannot handle " + signal.signalName() + ": "
                    + signal.refusal().orElseThrow() + ". Signals refused: " + Signal.refusedList());
        }
        Registration registration = new Registration(signal, handler);
        handlers.computeIfAbsent(signal, s -> new CopyOnWriteArrayList<>()).add(registration);
        return registration;
    }

    @Override
    public void send(long pid, Signal signal) throws IOException {
        Objects.requireNonNull(signal, "signal");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be > 0: pid=" + pid + " (process groups are not addressed here)");
        }
        long self = ProcessHandle.current().pid();
        if (pid != self) {
            if (ProcessHandle.of(pid).isEmpty()) {
                throw new ObjectNotFoundException("pid " + pid, "cannot send " + signal.signalName() + " to pid="
                        + pid + ": no such process");
            }
            throw new IpcUnavailableException("pid " + pid, "cannot send " + signal.signalName() + " to pid=" + pid
                    + ": inproc signals reach only this JVM (pid=" + self + "); use a native provider such as ipc-posix");
        }
        dispatcher.execute(() -> deliver(signal));
    }

    /** As {@link #send(long, Signal)}; the value is not passed to handlers, which take only the signal. */
    @Override
    public void send(long pid, Signal signal, int value) throws IOException {
        send(pid, signal);
    }

    private void deliver(Signal signal) {
        for (Registration r : handlers.getOrDefault(signal, List.of())) {
            if (!r.closed.get()) {
                try {
                    r.handler.handle(signal);
                } catch (RuntimeException | Error e) {
                    LOG.warn("inproc handler for {} threw; later deliveries go on", signal.signalName(), e);
                }
            }
        }
    }

    private final class Registration implements SignalRegistration {
        final Signal signal;
        final SignalHandler handler;
        final AtomicBoolean closed = new AtomicBoolean();

        Registration(Signal signal, SignalHandler handler) {
            this.signal = signal;
            this.handler = handler;
        }

        @Override
        public Signal signal() {
            return signal;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                handlers.getOrDefault(signal, List.of()).remove(this);
            }
        }

        @Override
        public String toString() {
            return "inproc handler for " + signal.signalName() + (closed.get() ? " (closed)" : "");
        }
    }
}
