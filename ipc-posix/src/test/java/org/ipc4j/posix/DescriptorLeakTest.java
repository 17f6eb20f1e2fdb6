package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.posix.internal.Spawner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opens and closes each kind of object 10,000 times and compares /proc/self/fd before and after. */
class DescriptorLeakTest {
    private static final int CYCLES = 10_000;

    /** Starts the shared poller thread (and its wake-up pipe) before anything is counted. */
    @BeforeAll
    static void startPoller() throws Exception {
        int[] p = Spawner.pipe("warm-up");
        try (Channel r = Ipc.connect("pipe:?read=" + p[0])) {
            assertThrows(IpcTimeoutException.class, () -> r.receive(ByteBuffer.allocate(8), Duration.ofMillis(1)));
        } finally {
            Spawner.closeQuietly(p[1]);
        }
    }

    interface Cycle {
        void run(int i) throws Exception;
    }

    private static void assertNoLeak(String kind, int cycles, Cycle cycle) throws Exception {
        cycle.run(-1);
        int before = TestSupport.openDescriptors();
        for (int i = 0; i < cycles; i++) {
            cycle.run(i);
        }
        int after = TestSupport.openDescriptors();
        assertEquals(before, after, kind + ": descriptors before and after " + cycles + " open/close cycles");
    }

    @Test
    void posixQueues() throws Exception {
        String address = "mq:/" + TestSupport.unique("leak") + "?create&capacity=2&maxMessageSize=16";
        try (MessageQueue keep = Ipc.openQueue(address)) {
            assertNoLeak("mq", CYCLES, i -> {
                try (MessageQueue q = Ipc.openQueue(address)) {
                    if (i % 1000 == 0) {
                        q.send(ByteBuffer.wrap(new byte[] {1}));
                        q.receive(ByteBuffer.allocate(16), Duration.ofSeconds(5));
                    }
                }
            });
            keep.unlink();
        }
    }

    @Test
    void sysvQueuesAndSemaphores() throws Exception {
        int key = 0x2C00_0000 | (int) (ProcessHandle.current().pid() & 0xFFFF) << 4;
        try (MessageQueue q0 = Ipc.openQueue("sysvmq:" + key + "?create");
             Semaphore s0 = Ipc.openSemaphore("sysvsem:" + (key + 1) + "?create&initial=1")) {
            assertNoLeak("sysvmq", CYCLES, i -> Ipc.openQueue("sysvmq:" + key).close());
            assertNoLeak("sysvsem", CYCLES, i -> {
                try (Semaphore s = Ipc.openSemaphore("sysvsem:" + (key + 1))) {
                    s.acquire();
                    s.release();
                }
            });
            q0.unlink();
            s0.unlink();
        }
    }

    @Test
    void posixSemaphores() throws Exception {
        String address = "sem:/" + TestSupport.unique("leak") + "?create&initial=1";
        try (Semaphore keep = Ipc.openSemaphore(address)) {
            assertNoLeak("sem", CYCLES, i -> {
                try (Semaphore s = Ipc.openSemaphore(address)) {
                    s.acquire();
                    s.release();
                }
            });
            keep.unlink();
        }
    }

    @Test
    void fifos() throws Exception {
        Path fifo = TestSupport.dir("leak").resolve("f");
        assertNoLeak("fifo", CYCLES, i -> {
            try (Channel r = Ipc.connect("fifo:" + fifo + "?create&read");
                 Channel w = Ipc.connect("fifo:" + fifo + "?write")) {
                if (i % 1000 == 0) {
                    w.send(ByteBuffer.wrap(new byte[] {1}));
                    r.receive(ByteBuffer.allocate(16));
                }
            }
        });
    }

    @Test
    void pipeChannels() throws Exception {
        assertNoLeak("pipe", CYCLES, i -> {
            int[] p = Spawner.pipe("leak");
            try (Channel r = Ipc.connect("pipe:?read=" + p[0]); Channel w = Ipc.connect("pipe:?write=" + p[1])) {
                if (i % 1000 == 0) {
                    w.send(ByteBuffer.wrap(new byte[] {1}));
                    r.receive(ByteBuffer.allocate(16));
                }
            }
        });
    }

    @Test
    void spawnedChildren() throws Exception {
        assertNoLeak("ChildProcess", 200, i -> {
            try (ChildProcess c = ChildProcess.builder("true").channel(3, 4).stdin(ChildProcess.Stdio.PIPE)
                    .stdout(ChildProcess.Stdio.PIPE).start()) {
                assertEquals(0, c.waitFor(Duration.ofSeconds(30)).orElseThrow());
            }
        });
    }
}
