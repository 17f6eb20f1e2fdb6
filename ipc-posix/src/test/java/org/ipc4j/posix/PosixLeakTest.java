package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.Signal;
import org.ipc4j.posix.internal.Spawner;
import org.ipc4j.testkit.leak.LeakCase;
import org.ipc4j.testkit.leak.LeakCheck;
import org.ipc4j.testkit.leak.LeakContract;
import org.ipc4j.testkit.leak.LeakCycles;

/**
 * The leak suite for every ipc4j-posix mechanism: anonymous pipes, FIFO pairs, POSIX and SysV message
 * queues, POSIX and SysV semaphores, signal registrations, and spawned children. Each cycle creates
 * its object with {@code exclusive} and unlinks it, so a name that unlink failed to remove makes the
 * next cycle fail ({@code /dev/mqueue} is not mounted on every machine; the check reads it when it is).
 */
class PosixLeakTest extends LeakContract {

    @Override
    protected List<LeakCase> leakCases() throws Exception {
        String name = TestSupport.unique("leak");
        int key = 0x2C00_0000 | (int) (ProcessHandle.current().pid() & 0xFFFF) << 4;
        Path fifos = TestSupport.dir("leak");
        String fifo = "fifo:" + fifos.resolve("f");
        return List.of(
                LeakCase.of(LeakCheck.of("pipe"), PosixLeakTest::pipeCycle),
                LeakCase.of(LeakCheck.of("fifo pair").watching(fifos),
                        LeakCycles.pair(fifo + "?create", fifo + "?create&side=b")),
                LeakCase.of(LeakCheck.of("mq"),
                        LeakCycles.queue("mq:/" + name + "-q?exclusive&capacity=2&maxMessageSize=16")),
                LeakCase.of(LeakCheck.of("sysvmq").sysvKey(key),
                        LeakCycles.queue("sysvmq:" + key + "?exclusive")),
                LeakCase.of(LeakCheck.of("sem"), LeakCycles.semaphore("sem:/" + name + "-s?exclusive&initial=0")),
                LeakCase.of(LeakCheck.of("sysvsem").sysvKey(key + 1),
                        LeakCycles.semaphore("sysvsem:" + (key + 1) + "?exclusive&initial=0")),
                LeakCase.of(LeakCheck.of("signal registration"), LeakCycles.signal(Ipc.signals(), Signal.USR1, 100)),
                // a cycle spawns and reaps a process (milliseconds each): 200 cycles, not 10,000
                LeakCase.of(LeakCheck.of("spawned child with pipes").cycles(200).warmUp(5), PosixLeakTest::spawnCycle));
    }

    private static void pipeCycle(int i) throws Exception {
        int[] p = Spawner.pipe("leak");
        try (Channel r = Ipc.connect("pipe:?read=" + p[0]); Channel w = Ipc.connect("pipe:?write=" + p[1])) {
            LeakCycles.exchange(r, w, i);
        }
    }

    private static void spawnCycle(int i) throws Exception {
        try (ChildProcess c = ChildProcess.builder("true").channel(3, 4).stdin(ChildProcess.Stdio.PIPE)
                .stdout(ChildProcess.Stdio.PIPE).start()) {
            assertEquals(0, c.waitFor(Duration.ofSeconds(30)).orElseThrow());
        }
    }
}
