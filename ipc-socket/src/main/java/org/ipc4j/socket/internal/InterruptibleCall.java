package org.ipc4j.socket.internal;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets {@link Thread#interrupt()} end a blocking native call (poll, recv) without closing anything.
 * The JDK calls {@link #implCloseChannel()} from the interrupting thread while the target is between
 * {@link #enter()} and {@link #leave()}; this sends the target the JDK's own wake signal
 * ({@link DescriptorCalls#WAKE_SIGNAL}), so its call returns EINTR. Only this object is "closed" by
 * the interrupt: the caller takes a new one (see {@link #isOpen()}) and the socket stays open.
 *
 * <p>One per direction of a channel, used under that direction's lock.
 */
final class InterruptibleCall extends AbstractInterruptibleChannel {
    /** Signals tried before giving up on a thread that never gets to its call (it checks the status itself). */
    private static final int MAX_SIGNALS = 2_000;
    private static final long SIGNAL_PAUSE_NANOS = 100_000;

    private static final int PID = DescriptorCalls.getpid();

    /** The caller's kernel thread id: {@code tgkill} answers ESRCH once that thread has ended. */
    private volatile int thread;
    private volatile boolean inside;
    /** The Java thread whose kernel id is in {@link #thread}: the same thread usually calls again. */
    private Thread lastCaller;

    /**
     * Marks the calling thread as about to block.
     *
     * @return false if the thread is already interrupted: skip the call
     */
    boolean enter() {
        begin();
        Thread me = Thread.currentThread();
        if (me != lastCaller) {
            thread = DescriptorCalls.gettid();
            lastCaller = me;
        }
        inside = true;
        // pairs with the interrupter, which sets the status before it reads inside
        return !Thread.currentThread().isInterrupted();
    }

    /** Marks the call as over; must follow every {@link #enter()}. */
    void leave() {
        inside = false;
        try {
            end(true);
        } catch (AsynchronousCloseException e) {
            // the interrupt that woke the call: the caller sees the interrupt status
        }
    }

    @Override
    protected void implCloseChannel() {
        // a signal that lands just before the thread enters its call is lost: repeat until it is out
        for (int i = 0; inside && i < MAX_SIGNALS; i++) {
            DescriptorCalls.tgkill(PID, thread, DescriptorCalls.WAKE_SIGNAL);
            LockSupport.parkNanos(SIGNAL_PAUSE_NANOS);
        }
    }
}
