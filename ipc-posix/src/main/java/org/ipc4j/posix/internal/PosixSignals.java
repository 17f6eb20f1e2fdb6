package org.ipc4j.posix.internal;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ipc4j.IpcException;
import org.ipc4j.Signal;
import org.ipc4j.SignalHandler;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals through the JVM's own signal support ({@code sun.misc.Signal}, module jdk.unsupported):
 * the JVM's native handler only records the signal; the JVM then calls our hook on its
 * {@code SIG<name> handler} thread, which hands the delivery to one thread of ours,
 * {@code ipc4j-signals}, where user handlers run in order. No Java code runs in a native signal
 * context. {@code sun.misc.Signal} is reached by reflection so that the build stays free of
 * proprietary-API warnings. Sending uses {@code kill(2)} and {@code sigqueue(3)}.
 */
public final class PosixSignals implements SignalService {
    private static final Logger LOG = LoggerFactory.getLogger(PosixSignals.class);
    private static final PosixSignals INSTANCE = new PosixSignals();

    private final Map<Signal, Installed> installed = new EnumMap<>(Signal.class);
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ipc4j-signals");
        t.setDaemon(true);
        return t;
    });

    private PosixSignals() {
    }

    /** The one service of this process. */
    public static PosixSignals instance() {
        return INSTANCE;
    }

    /** What one signal has installed: our hook, the handler it replaced, and the user handlers. */
    private static final class Installed {
        final Object previous;
        final List<Registration> handlers = new CopyOnWriteArrayList<>();

        Installed(Object previous) {
            this.previous = previous;
        }
    }

    private final class Registration implements SignalRegistration {
        final Signal signal;
        final SignalHandler handler;
        final AtomicBoolean open = new AtomicBoolean(true);

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
            if (open.compareAndSet(true, false)) {
                remove(this);
            }
        }
    }

    @Override
    public SignalRegistration handle(Signal signal, SignalHandler handler) throws IpcException {
        if (signal == null || handler == null) {
            throw new NullPointerException("signal and handler must not be null: signal=" + signal
                    + ", handler=" + handler);
        }
        if (!signal.isHandleable()) {
            throw new IllegalArgumentException("no handler may be installed for " + signal.signalName() + ": "
                    + signal.refusal().orElseThrow() + ". Refused signals: " + Signal.refusedList());
        }
        synchronized (installed) {
            Installed slot = installed.get(signal);
            if (slot == null) {
                Object previous = Jvm.install(signal, hook(signal));
                slot = new Installed(previous);
                installed.put(signal, slot);
            }
            Registration r = new Registration(signal, handler);
            slot.handlers.add(r);
            return r;
        }
    }

    private void remove(Registration r) {
        synchronized (installed) {
            Installed slot = installed.get(r.signal);
            if (slot == null || !slot.handlers.remove(r) || !slot.handlers.isEmpty()) {
                return;
            }
            installed.remove(r.signal);
            try {
                Jvm.restore(r.signal, slot.previous);
            } catch (IpcException e) {
                LOG.warn("could not restore the previous handler of {}: {}", r.signal.signalName(), e.getMessage());
            }
        }
    }

    private Object hook(Signal signal) {
        return Jvm.handler(() -> dispatcher.execute(() -> deliver(signal)));
    }

    private void deliver(Signal signal) {
        Installed slot;
        synchronized (installed) {
            slot = installed.get(signal);
        }
        if (slot == null) {
            return;
        }
        for (Registration r : slot.handlers) {
            if (!r.open.get()) {
                continue;
            }
            try {
                r.handler.handle(signal);
            } catch (RuntimeException | Error e) {
                LOG.error("handler for {} threw; other handlers still run", signal.signalName(), e);
            }
        }
    }

    @Override
    public void send(long pid, Signal signal) throws IOException {
        int p = checkPid(pid);
        if (LibC.kill(p, signal.number()) != 0) {
            throw sendFailure("kill", pid, signal, LibC.errno());
        }
    }

    @Override
    public void send(long pid, Signal signal, int value) throws IOException {
        int p = checkPid(pid);
        if (LibC.sigqueue(p, signal.number(), value) != 0) {
            throw sendFailure("sigqueue", pid, signal, LibC.errno());
        }
    }

    private static int checkPid(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pid must be 1 to " + Integer.MAX_VALUE
                    + " (process groups are not addressed here): pid=" + pid);
        }
        return (int) pid;
    }

    private static IpcException sendFailure(String call, long pid, Signal signal, int errno) {
        String object = "pid " + pid;
        return Errno.exception(call + "(" + signal.signalName() + ")", object, errno,
                errno == Errno.ESRCH ? "no process has pid=" + pid
                        : errno == Errno.EPERM ? "this process may not signal pid=" + pid + " (another user's process)"
                        : null);
    }

    /** Reflection over {@code sun.misc.Signal} and {@code sun.misc.SignalHandler}. */
    private static final class Jvm {
        private static final Class<?> SIGNAL;
        private static final Class<?> HANDLER;
        private static final Constructor<?> NEW_SIGNAL;
        private static final Method HANDLE;

        static {
            try {
                SIGNAL = Class.forName("sun.misc.Signal");
                HANDLER = Class.forName("sun.misc.SignalHandler");
                NEW_SIGNAL = SIGNAL.getConstructor(String.class);
                HANDLE = SIGNAL.getMethod("handle", SIGNAL, HANDLER);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        static Object handler(Runnable action) {
            return Proxy.newProxyInstance(HANDLER.getClassLoader(), new Class<?>[] {HANDLER}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle":
                        action.run();
                        return null;
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    default:
                        return "ipc4j signal hook";
                }
            });
        }

        static Object install(Signal signal, Object handler) throws IpcException {
            try {
                Object jvmSignal = NEW_SIGNAL.newInstance(signal.name());
                return HANDLE.invoke(null, jvmSignal, handler);
            } catch (InvocationTargetException e) {
                throw new IpcException(signal.signalName(), "the JVM refused a handler for " + signal.signalName() + ": "
                        + e.getCause().getMessage() + " (HUP, INT and TERM are refused under -Xrs or -Xrs-like"
                        + " settings; the JVM reserves QUIT, ILL, FPE, SEGV, KILL, STOP)", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IpcException(signal.signalName(), "cannot reach sun.misc.Signal to install a handler for "
                        + signal.signalName() + ": " + e, e);
            }
        }

        static void restore(Signal signal, Object previous) throws IpcException {
            install(signal, previous);
        }
    }
}
