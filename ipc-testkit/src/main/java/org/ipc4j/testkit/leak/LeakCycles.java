package org.ipc4j.testkit.leak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;
import org.ipc4j.SharedRegion;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;

/**
 * The open/use/close {@link LeakCycle cycles} of each API type, through the {@link Ipc} facade.
 * Each one uses what it opened (a message each way, an atomic add, an acquire and release) so that
 * the lazily opened parts (selectors, pollers, futex waits) are counted too, and closes the
 * accepted or local end of a channel before the connecting end, so TCP leaves its TIME_WAIT on the
 * listener's port rather than using up ephemeral ports.
 */
@SuppressWarnings("try")   // registrations are opened only to be closed
public final class LeakCycles {
    /** How long one step of a cycle may take on a loaded machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private LeakCycles() {
    }

    /** {@code Ipc.openQueue(createAddress)}, one message through it, unlink, close. */
    public static LeakCycle queue(String createAddress) {
        ByteBuffer in = ByteBuffer.allocate(64);
        return i -> {
            try (MessageQueue q = Ipc.openQueue(createAddress)) {
                q.send(ByteBuffer.wrap(new byte[] {(byte) i}));
                in.clear();
                Received r = q.receive(in, PATIENCE);
                check(r.length() == 1 && in.get(0) == (byte) i, createAddress, "got " + r + " back");
                q.unlink();
            }
        };
    }

    /** {@code Ipc.openRegion(createAddress)} (at least 8 bytes), an atomic add, unlink, close. */
    public static LeakCycle region(String createAddress) {
        return i -> {
            try (SharedRegion r = Ipc.openRegion(createAddress)) {
                r.getAndAddLong(0, 1);
                r.unlink();
            }
        };
    }

    /** {@code Ipc.openSemaphore(createAddress)}, release then acquire, unlink, close. */
    public static LeakCycle semaphore(String createAddress) {
        return i -> {
            try (org.ipc4j.Semaphore s = Ipc.openSemaphore(createAddress)) {
                s.release();
                check(s.tryAcquire(PATIENCE), createAddress, "tryAcquire after release returned false");
                s.unlink();
            }
        };
    }

    /** Listen at {@code listenAddress}, connect, accept, a message each way, close all three. */
    public static LeakCycle listenConnectAccept(String listenAddress) {
        return i -> {
            try (ChannelListener l = Ipc.listen(listenAddress)) {
                acceptOnce(l, i);
            }
        };
    }

    /** Connect to a listener that stays open, accept, a message each way, close both ends. */
    public static LeakCycle connectAccept(ChannelListener listener) {
        return i -> acceptOnce(listener, i);
    }

    private static void acceptOnce(ChannelListener l, int i) throws IOException {
        try (Channel client = Ipc.connect(l.address()); Channel server = l.accept(PATIENCE)) {
            exchange(server, client, i);
        }
    }

    /**
     * Opens {@code localAddress} on this thread and {@code remoteAddress} on a short-lived second one
     * at the same time (each end of a FIFO pair waits for the other; two bound datagram sockets do not),
     * a message each way (one way if the channel is one-way), closes both.
     */
    public static LeakCycle pair(String localAddress, String remoteAddress) {
        return i -> {
            Channel[] remote = new Channel[1];
            Exception[] failure = new Exception[1];
            Thread opener = new Thread(() -> {
                try {
                    remote[0] = Ipc.connect(remoteAddress);
                } catch (Exception e) {
                    failure[0] = e;
                }
            }, "leak-pair-opener");
            opener.start();
            Channel local = null;
            try {
                local = Ipc.connect(localAddress);
            } finally {
                opener.join();   // the opener's writes are visible after join
                if (local == null && remote[0] != null) {
                    remote[0].close();
                }
            }
            try (Channel l = local; Channel r = remote[0]) {
                if (failure[0] != null) {
                    throw failure[0];
                }
                exchange(l, r, i);
            }
        };
    }

    /**
     * Sends one byte from {@code b} to {@code a} and, if the channel is bidirectional, one back.
     *
     * @throws AssertionError if a message does not arrive intact
     */
    public static void exchange(Channel a, Channel b, int i) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(Math.max(1, Math.min(64, a.maxMessageSize())));
        b.send(ByteBuffer.wrap(new byte[] {(byte) i}));
        int n = a.receive(in, PATIENCE);
        check(n == 1 && in.get(0) == (byte) i, a.address(), "received length " + n);
        if (a.properties().contains(Channel.Property.BIDIRECTIONAL)) {
            in.clear();
            a.send(ByteBuffer.wrap(new byte[] {(byte) ~i}));
            n = b.receive(in, PATIENCE);
            check(n == 1 && in.get(0) == (byte) ~i, b.address(), "received length " + n);
        }
    }

    /**
     * Installs a handler for {@code signal} and closes the registration; every {@code deliverEvery}-th
     * cycle (and every warm-up cycle) sends the signal to this process first and waits for the handler
     * to run.
     */
    public static LeakCycle signal(SignalService signals, Signal signal, int deliverEvery) {
        Semaphore delivered = new Semaphore(0);
        long pid = ProcessHandle.current().pid();
        return i -> {
            try (SignalRegistration r = signals.handle(signal, s -> delivered.release())) {
                if (i < 0 || i % deliverEvery == 0) {   // every warm-up cycle: starts a backend's dispatcher
                    signals.send(pid, signal);
                    check(delivered.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), signal.name(),
                            "the handler did not run within " + PATIENCE);
                }
            }
        };
    }

    private static void check(boolean ok, String object, String what) {
        if (!ok) {
            throw new AssertionError(object + ": " + what);
        }
    }
}
