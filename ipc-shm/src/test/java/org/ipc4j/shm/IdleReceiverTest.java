package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.shm.internal.IdleReceiverPeer;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A receiver blocked with the default wait strategy uses (almost) no CPU. */
@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class IdleReceiverTest {
    private static final Duration T = Duration.ofSeconds(60);
    private final String name = Names.unique("idle");

    @AfterEach
    void cleanUp() {
        Names.delete(name);
    }

    private static long cpuTicks(long pid, long tid) throws Exception {
        String stat = Files.readAllLines(Path.of("/proc/" + pid + "/task/" + tid + "/stat")).get(0);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime + stime, fields 14 and 15
    }

    /**
     * Waits until the thread is inside the futex system call (202 on x86-64, 98 on aarch64), so the
     * measurement covers the blocked state and not the spin before it, however slow a loaded machine
     * makes that spin.
     */
    private static void awaitFutexWait(long pid, long tid) throws Exception {
        String futex = System.getProperty("os.arch").equals("aarch64") ? "98 " : "202 ";
        Path syscall = Path.of("/proc/" + pid + "/task/" + tid + "/syscall");
        long deadline = System.nanoTime() + T.toNanos();
        while (!Files.readString(syscall).startsWith(futex)) {
            assertTrue(System.nanoTime() < deadline, "receiver thread never blocked in futex: " + Files.readString(syscall));
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);   // polling a condition, 1 ms apart
        }
    }

    @Test
    void blockedReceiverThreadUsesUnderOnePercentOfACore() throws Exception {
        try (ChannelListener l = Ipc.listen("shm:/" + name);
                PeerJvm peer = Peers.of(IdleReceiverPeer.class, l.address()).start();
                Channel c = l.accept(T)) {
            long tid = Long.parseLong(peer.awaitLineStartingWith("TID ", T).substring(4));
            awaitFutexWait(peer.pid(), tid);
            long before = cpuTicks(peer.pid(), tid);
            long start = System.nanoTime();
            // measure for 5 s by blocking in a timed receive, not sleeping: nothing will arrive
            assertThrows(org.ipc4j.IpcTimeoutException.class, () -> c.receive(ByteBuffer.allocate(8), Duration.ofSeconds(5)));
            long ticks = cpuTicks(peer.pid(), tid) - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            double percent = ticks / 100.0 / seconds * 100;   // USER_HZ is 100
            assertTrue(percent < 1.0, "receiver thread used " + percent + "% of a core (" + ticks + " ticks)");
            c.send(ByteBuffer.allocate(3));
            peer.awaitLineStartingWith("GOT 3", T);
            peer.assertExit(0, T);
        }
    }
}
