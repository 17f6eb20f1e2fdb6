package org.ipc4j.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Ipc;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;
import org.ipc4j.SignalService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
@SuppressWarnings("try") // registrations are held only to be closed
class InprocSignalsTest {
    private static final long SELF = ProcessHandle.current().pid();

    private final SignalService signals = new InprocProvider().signals().orElseThrow();

    @Test
    void theFacadeOffersInprocSignalsWhenNoNativeProviderIsPresent() throws IpcUnavailableException {
        assertSame(signals, Ipc.signals());
    }

    @Test
    void handlerRunsOnTheInprocSignalThreadNeverTheCallers() throws Exception {
        BlockingQueue<String> ran = new LinkedBlockingQueue<>();
        try (SignalRegistration r = signals.handle(Signal.USR1, s -> ran.add(Thread.currentThread().getName() + ":" + s))) {
            assertEquals(Signal.USR1, r.signal());
            signals.send(SELF, Signal.USR1);
            assertEquals("inproc-signal:USR1", ran.poll(10, TimeUnit.SECONDS));
            signals.send(SELF, Signal.USR1, 42);
            assertEquals("inproc-signal:USR1", ran.poll(10, TimeUnit.SECONDS));
            Thread t = List.copyOf(Thread.getAllStackTraces().keySet()).stream()
                    .filter(x -> x.getName().equals("inproc-signal")).findFirst().orElseThrow();
            assertTrue(t.isDaemon());
        }
    }

    @Test
    void everyHandlerRunsAndOneThatThrowsDoesNotStopTheOthers() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        try (SignalRegistration bad = signals.handle(Signal.HUP, s -> {
                throw new IllegalStateException("deliberate failure in a test handler");
            });
             SignalRegistration one = signals.handle(Signal.HUP, s -> both.countDown());
             SignalRegistration two = signals.handle(Signal.HUP, s -> both.countDown())) {
            signals.send(SELF, Signal.HUP);
            assertTrue(both.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void closingTheRegistrationRemovesTheHandler() throws Exception {
        List<Signal> seen = new CopyOnWriteArrayList<>();
        SignalRegistration r = signals.handle(Signal.TERM, seen::add);
        CountDownLatch marker = new CountDownLatch(1);
        try (SignalRegistration m = signals.handle(Signal.WINCH, s -> marker.countDown())) {
            r.close();
            r.close();
            signals.send(SELF, Signal.TERM);
            // deliveries run in send order on one thread: once WINCH ran, TERM was already dispatched
            signals.send(SELF, Signal.WINCH);
            assertTrue(marker.await(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), seen);
    }

    @Test
    void aRegistrationMayCloseItselfFromItsHandler() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        SignalRegistration[] self = new SignalRegistration[1];
        self[0] = signals.handle(Signal.ALRM, s -> {
            self[0].close();
            ran.countDown();
        });
        signals.send(SELF, Signal.ALRM);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
    }

    @Test
    void reservedSignalsAreRefusedWithTheFullList() {
        for (Signal s : Signal.values()) {
            if (!s.isHandleable()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> signals.handle(s, x -> { }));
                assertTrue(e.getMessage().contains(s.signalName()), e.getMessage());
                assertTrue(e.getMessage().contains(Signal.refusedList()), e.getMessage());
            }
        }
    }

    @Test
    void otherProcessesCannotBeReachedAndAbsentOnesAreNotFound() throws Exception {
        long other = ProcessHandle.current().parent().orElseThrow().pid();
        ObjectNotFoundException absent = assertThrows(ObjectNotFoundException.class,
                () -> signals.send(absentPid(), Signal.HUP));
        assertTrue(absent.getMessage().contains("pid=" + absentPid()), absent.getMessage());
        IpcUnavailableException e = assertThrows(IpcUnavailableException.class, () -> signals.send(other, Signal.HUP));
        assertTrue(e.getMessage().contains("pid=" + other) && e.getMessage().contains("only this JVM"), e.getMessage());
        assertThrows(IpcUnavailableException.class, () -> signals.send(other, Signal.HUP, 1));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> signals.send(0, Signal.HUP));
        assertTrue(zero.getMessage().contains("pid=0"), zero.getMessage());
    }

    /** pid_max itself: pids are always below it. */
    private static long absentPid() throws IOException {
        return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).trim());
    }

    @Test
    void aSignalWithoutHandlerDoesNothing() throws IOException, InterruptedException {
        CountDownLatch marker = new CountDownLatch(1);
        try (SignalRegistration m = signals.handle(Signal.PWR, s -> marker.countDown())) {
            signals.send(SELF, Signal.CHLD);
            signals.send(SELF, Signal.PWR);
            assertTrue(marker.await(10, TimeUnit.SECONDS));
        }
    }
}
