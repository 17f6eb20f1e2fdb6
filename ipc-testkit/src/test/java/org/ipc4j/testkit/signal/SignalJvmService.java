package org.ipc4j.testkit.signal;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.SignalHandler;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;

/**
 * The kit's own real signal service, so the kit's build runs the peer JVM cases of
 * {@link org.ipc4j.testkit.contract.SignalHandlerContract} itself: handlers through
 * {@code sun.misc.Signal} (by reflection: the class is JDK-internal), sending with the {@code kill}
 * command. Test scope only. The first registration of a signal installs one dispatcher and keeps
 * what it replaced; the last one's close puts that back.
 */
final class SignalJvmService implements SignalService {
    static final SignalJvmService INSTANCE = new SignalJvmService();

    private static final Constructor<?> NEW_SIGNAL;
    private static final Method HANDLE;
    private static final Class<?> HANDLER_TYPE;

    static {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            HANDLER_TYPE = Class.forName("sun.misc.SignalHandler");
            NEW_SIGNAL = signal.getConstructor(String.class);
            HANDLE = signal.getMethod("handle", signal, HANDLER_TYPE);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Per handled signal: its handlers, and what the dispatcher replaced. */
    private static final class Slot {
        final List<SignalHandler> handlers = new CopyOnWriteArrayList<>();
        Object previous;
    }

    private final Map<Signal, Slot> slots = new EnumMap<>(Signal.class);

    private SignalJvmService() {
    }

    @Override
    public synchronized SignalRegistration handle(Signal signal, SignalHandler handler) throws IpcException {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(handler, "handler");
        if (!signal.isHandleable()) {
            throw new IllegalArgumentException("cannot handle " + signal.signalName() + ": " + signal.refusal().orElseThrow()
                    + ". Signals refused: " + Signal.refusedList());
        }
        Slot slot = slots.get(signal);
        if (slot == null) {
            Slot fresh = new Slot();
            Object dispatcher = Proxy.newProxyInstance(HANDLER_TYPE.getClassLoader(), new Class<?>[] {HANDLER_TYPE},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle":
                                for (SignalHandler h : fresh.handlers) {
                                    try {
                                        h.handle(signal);
                                    } catch (RuntimeException e) {
                                        e.printStackTrace();
                                    }
                                }
                                return null;
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                return "kit dispatcher for " + signal.signalName();
                        }
                    });
            fresh.previous = install(signal, dispatcher);
            slots.put(signal, fresh);
            slot = fresh;
        }
        Slot mine = slot;
        SignalHandler wrapper = handler::handle; // a distinct object per registration
        mine.handlers.add(wrapper);
        return new SignalRegistration() {
            private boolean closed;

            @Override
            public Signal signal() {
                return signal;
            }

            @Override
            public void close() {
                synchronized (SignalJvmService.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    mine.handlers.remove(wrapper);
                    if (mine.handlers.isEmpty() && slots.get(signal) == mine) {
                        slots.remove(signal);
                        try {
                            install(signal, mine.previous);
                        } catch (IpcException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    }
                }
            }
        };
    }

    private static Object install(Signal signal, Object handler) throws IpcException {
        try {
            return HANDLE.invoke(null, NEW_SIGNAL.newInstance(signal.name()), handler);
        } catch (InvocationTargetException e) {
            throw new IpcException(signal.signalName(), "the JVM refused a handler for " + signal.signalName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IpcException(signal.signalName(), "cannot reach sun.misc.Signal: " + e, e);
        }
    }

    @Override
    public void send(long pid, Signal signal) throws IOException {
        Objects.requireNonNull(signal, "signal");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be > 0: pid=" + pid + " (process groups are not addressed here)");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new ObjectNotFoundException("pid " + pid, "no process has pid=" + pid);
        }
        Process kill = new ProcessBuilder("kill", "-s", signal.name(), Long.toString(pid)).redirectErrorStream(true).start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IpcException("pid " + pid, "kill -s " + signal.name() + " " + pid + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending " + signal.signalName());
        }
        if (kill.exitValue() != 0) {
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (out.contains("No such process")) {
                throw new ObjectNotFoundException("pid " + pid, "no process has pid=" + pid + ": " + out);
            }
            throw new IpcException("pid " + pid, "kill -s " + signal.name() + " " + pid + " failed: " + out);
        }
    }

    @Override
    public void send(long pid, Signal signal, int value) {
        throw new UnsupportedOperationException("the kit's signal service cannot attach a value (no sigqueue)");
    }
}
