package org.ipc4j.posix.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The calls on the message path ({@code read}, {@code write}, {@code poll}, {@code mq_timedsend},
 * {@code mq_timedreceive}), made the cheapest way this JVM allows: through the JDK's foreign function
 * API where that is available and quiet, else through this module's own JNI library
 * ({@link JniCalls}), and through JNA ({@link LibC}) where neither loads. A foreign downcall or a JNI
 * call costs about 0.3 µs less than a JNA direct call here, a measurable part of a one-core round
 * trip (see the module README).
 *
 * <p>The foreign API is final from JDK 22; the library is built for 17, so the handles are looked
 * up reflectively, once, and called with {@code invokeExact} through {@code static final} fields,
 * which the JIT inlines. It is used on JDK 24 and later, where JNA's own library load already
 * draws the JDK's native-access warning (the JDK warns once per module, so from the class path
 * this adds no line), and on 22 and 23 only when native access is enabled for this module. {@code -Dipc4j.posix.foreign=false} turns it off.
 * {@code -Dipc4j.posix.jni=false} turns the JNI library off; {@link #route()} says which way is taken.
 *
 * <p>{@link #errno()} is the errno of the calling thread's last call made here, whichever way.
 */
public final class HotCalls {
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle POLL;
    private static final MethodHandle MQ_SEND;
    private static final MethodHandle MQ_RECEIVE;
    private static final MethodHandle ERRNO;
    private static final MethodHandle NEW_STATE;
    /** True if the calls go through {@link JniCalls}; the state is then an {@code int[1]} holding errno. */
    private static final boolean JNI;
    private static final String ROUTE;
    private static final ThreadLocal<Object> STATE;

    static {
        MethodHandle[] h = null;
        try {
            if (wanted()) {
                h = link();
            }
        } catch (Throwable t) {
            LoggerFactory.getLogger(HotCalls.class).debug("foreign calls unavailable, using JNA", t);
            h = null;
        }
        READ = h == null ? null : h[0];
        WRITE = h == null ? null : h[1];
        POLL = h == null ? null : h[2];
        MQ_SEND = h == null ? null : h[3];
        MQ_RECEIVE = h == null ? null : h[4];
        ERRNO = h == null ? null : h[5];
        NEW_STATE = h == null ? null : h[6];
        String jniRefused = h != null ? "foreign calls taken instead" : jniRefusal();
        JNI = jniRefused == null;
        if (h != null) {
            STATE = ThreadLocal.withInitial(HotCalls::newState);
            ROUTE = "foreign";
        } else if (JNI) {
            STATE = ThreadLocal.withInitial(() -> new int[1]);
            ROUTE = "JNI";
        } else {
            STATE = null;
            ROUTE = "JNA";
            LoggerFactory.getLogger(HotCalls.class).debug("JNI calls unavailable ({}), using JNA", jniRefused);
        }
    }

    /** Null if the JNI library is wanted and loaded, else why not. */
    private static String jniRefusal() {
        if (!Boolean.parseBoolean(System.getProperty("ipc4j.posix.jni", "true"))) {
            return "-Dipc4j.posix.jni=false";
        }
        return JniCalls.load();
    }

    private HotCalls() {
    }

    /** How the calls are made: {@code "foreign"}, {@code "JNI"} or {@code "JNA"}. */
    public static String route() {
        return ROUTE;
    }

    /**
     * The calling thread's state for the calls below (where a foreign or JNI call leaves errno), or
     * null with JNA. Callers on a hot path keep it per thread and pass it, saving a ThreadLocal lookup.
     */
    public static Object state() {
        return STATE == null ? null : STATE.get();
    }

    /** {@code read(2)}. */
    public static long read(int fd, long buffer, long count) {
        return read(state(), fd, buffer, count);
    }

    /** {@code read(2)} with the calling thread's {@link #state()}. */
    public static long read(Object state, int fd, long buffer, long count) {
        if (READ == null) {
            return JNI ? result(state, JniCalls.read(fd, buffer, count)) : LibC.read(fd, buffer, count);
        }
        try {
            return (long) READ.invokeExact(state, fd, buffer, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code write(2)}. */
    public static long write(int fd, long buffer, long count) {
        return write(state(), fd, buffer, count);
    }

    /** {@code write(2)} with the calling thread's {@link #state()}. */
    public static long write(Object state, int fd, long buffer, long count) {
        if (WRITE == null) {
            return JNI ? result(state, JniCalls.write(fd, buffer, count)) : LibC.write(fd, buffer, count);
        }
        try {
            return (long) WRITE.invokeExact(state, fd, buffer, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code poll(2)}. */
    public static int poll(long fds, long count, int timeoutMillis) {
        if (POLL == null) {
            return JNI ? result(STATE.get(), JniCalls.poll(fds, count, timeoutMillis)) : LibC.poll(fds, count, timeoutMillis);
        }
        try {
            return (int) POLL.invokeExact(STATE.get(), fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mq_timedsend(3)} with the calling thread's {@link #state()}; a 0 timeout address waits untimed. */
    public static int mqTimedSend(Object state, int mqd, long message, long length, int priority, long absTimeout) {
        if (MQ_SEND == null) {
            return JNI ? result(state, JniCalls.mqTimedSend(mqd, message, length, priority, absTimeout))
                    : LibC.mq_timedsend(mqd, message, length, priority, absTimeout);
        }
        try {
            return (int) MQ_SEND.invokeExact(state, mqd, message, length, priority, absTimeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mq_timedreceive(3)} with the calling thread's {@link #state()}; a 0 timeout address waits untimed. */
    public static long mqTimedReceive(Object state, int mqd, long message, long length, long priority, long absTimeout) {
        if (MQ_RECEIVE == null) {
            return JNI ? result(state, JniCalls.mqTimedReceive(mqd, message, length, priority, absTimeout))
                    : LibC.mq_timedreceive(mqd, message, length, priority, absTimeout);
        }
        try {
            return (long) MQ_RECEIVE.invokeExact(state, mqd, message, length, priority, absTimeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The errno of this thread's last call made through this class. */
    public static int errno() {
        return errno(state());
    }

    /** The errno of this thread's last call made through this class, with its {@link #state()}. */
    public static int errno(Object state) {
        if (ERRNO == null) {
            return JNI ? ((int[]) state)[0] : LibC.errno();
        }
        try {
            return (int) ERRNO.invokeExact(state, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A JNI call's result as libc gives it: -1 with errno kept in {@code state} if it failed. */
    private static long result(Object state, long r) {
        if (r < 0) {
            ((int[]) state)[0] = (int) -r;
            return -1;
        }
        return r;
    }

    private static int result(Object state, int r) {
        if (r < 0) {
            ((int[]) state)[0] = -r;
            return -1;
        }
        return r;
    }

    private static Object newState() {
        try {
            return (Object) NEW_STATE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return new IllegalStateException("foreign call failed", t);
    }

    private static boolean wanted() throws ReflectiveOperationException {
        if (!Boolean.parseBoolean(System.getProperty("ipc4j.posix.foreign", "true"))) {
            return false;
        }
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return false;
        }
        if (feature >= 24) {
            return true;
        }
        Method enabled = Module.class.getMethod("isNativeAccessEnabled");
        return (boolean) enabled.invoke(HotCalls.class.getModule());
    }

    /** The five downcall handles, the errno reader and a state allocator, typed with Object for the state. */
    private static MethodHandle[] link() throws Throwable {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> optionClass = Class.forName("java.lang.foreign.Linker$Option");
        Class<?> layoutClass = Class.forName("java.lang.foreign.MemoryLayout");
        Class<?> valueLayoutClass = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptorClass = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> segmentClass = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> lookupClass = Class.forName("java.lang.foreign.SymbolLookup");
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        Class<?> allocatorClass = Class.forName("java.lang.foreign.SegmentAllocator");
        Class<?> pathClass = Class.forName("java.lang.foreign.MemoryLayout$PathElement");

        Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
        Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
        Object intLayout = valueLayoutClass.getField("JAVA_INT").get(null);
        Object longLayout = valueLayoutClass.getField("JAVA_LONG").get(null);
        Object options = Array.newInstance(optionClass, 1);
        Array.set(options, 0, optionClass.getMethod("captureCallState", String[].class)
                .invoke(null, (Object) new String[] {"errno"}));
        Method of = descriptorClass.getMethod("of", layoutClass, layoutClass.arrayType());
        Method find = lookupClass.getMethod("find", String.class);
        Method downcall = linkerClass.getMethod("downcallHandle", segmentClass, descriptorClass, optionClass.arrayType());

        Object[][] signatures = {
            {"read", longLayout, intLayout, longLayout, longLayout},
            {"write", longLayout, intLayout, longLayout, longLayout},
            {"poll", intLayout, longLayout, longLayout, intLayout},
            {"mq_timedsend", intLayout, intLayout, longLayout, longLayout, intLayout, longLayout},
            {"mq_timedreceive", longLayout, intLayout, longLayout, longLayout, longLayout, longLayout},
        };
        MethodHandle[] handles = new MethodHandle[7];
        for (int i = 0; i < signatures.length; i++) {
            Object[] s = signatures[i];
            Object args = Array.newInstance(layoutClass, s.length - 2);
            for (int a = 2; a < s.length; a++) {
                Array.set(args, a - 2, s[a]);
            }
            Object descriptor = of.invoke(null, s[1], args);
            Optional<?> symbol = (Optional<?>) find.invoke(lookup, (String) s[0]);
            MethodHandle h = (MethodHandle) downcall.invoke(linker, symbol.orElseThrow(), descriptor, options);
            handles[i] = h.asType(h.type().changeParameterType(0, Object.class));
        }

        Object stateLayout = optionClass.getMethod("captureStateLayout").invoke(null);
        Object path = Array.newInstance(pathClass, 1);
        Array.set(path, 0, pathClass.getMethod("groupElement", String.class).invoke(null, "errno"));
        VarHandle errno = (VarHandle) layoutClass.getMethod("varHandle", pathClass.arrayType()).invoke(stateLayout, path);
        MethodHandle get = errno.toMethodHandle(VarHandle.AccessMode.GET);
        handles[5] = get.asType(MethodType.methodType(int.class, Object.class, long.class));

        // a state segment per thread, freed by the GC with its thread's ThreadLocal
        MethodHandle ofAuto = java.lang.invoke.MethodHandles.publicLookup()
                .findStatic(arenaClass, "ofAuto", MethodType.methodType(arenaClass));
        MethodHandle allocate = java.lang.invoke.MethodHandles.publicLookup()
                .findVirtual(allocatorClass, "allocate", MethodType.methodType(segmentClass, layoutClass));
        MethodHandle allocateState = java.lang.invoke.MethodHandles.insertArguments(
                allocate.asType(MethodType.methodType(segmentClass, arenaClass, layoutClass)), 1, stateLayout);
        handles[6] = java.lang.invoke.MethodHandles.filterReturnValue(ofAuto, allocateState)
                .asType(MethodType.methodType(Object.class));
        return handles;
    }
}
