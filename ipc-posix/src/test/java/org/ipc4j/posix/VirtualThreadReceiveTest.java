package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own surefire execution on the Temurin 25 JDK (see pom.xml): 1,000 virtual threads
 * blocked in {@code receive} on POSIX queues must leave the carriers free, so that 10,000 short
 * tasks on other virtual threads still complete promptly. The class is compiled for Java 17, so
 * the virtual-thread executor is reached by reflection.
 */
class VirtualThreadReceiveTest {
    private static final int RECEIVERS = 1_000;
    private static final int QUEUES = 10;
    private static final int TASKS = 10_000;

    @Test
    void thousandBlockedReceiversDoNotStarveOtherVirtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+; this JVM is " + Runtime.version());
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        List<MessageQueue> queues = new ArrayList<>();
        try {
            for (int i = 0; i < QUEUES; i++) {
                queues.add(Ipc.openQueue("mq:/" + TestSupport.unique("vt") + "?create&capacity=10&maxMessageSize=64"));
            }
            AtomicInteger entering = new AtomicInteger();
            CountDownLatch received = new CountDownLatch(RECEIVERS);
            List<Future<Received>> receivers = new ArrayList<>();
            for (int i = 0; i < RECEIVERS; i++) {
                MessageQueue q = queues.get(i % QUEUES);
                receivers.add(virtual.submit(() -> {
                    entering.incrementAndGet();
                    Received r = q.receive(ByteBuffer.allocate(64));
                    received.countDown();
                    return r;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (entering.get() < RECEIVERS) {
                assertTrue(System.nanoTime() < deadline, "only " + entering.get() + " receivers started");
                Thread.yield();
            }
            assertEquals(RECEIVERS, received.getCount(), "no message was sent yet");

            long start = System.nanoTime();
            AtomicInteger done = new AtomicInteger();
            Future<?> tasks = virtual.submit(() -> {
                List<Future<?>> small = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                    int n = i;
                    small.add(virtual.submit(() -> done.addAndGet(Integer.bitCount(n) >= 0 ? 1 : 0)));
                }
                for (Future<?> f : small) {
                    f.get();
                }
                return null;
            });
            tasks.get(20, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("[vt] " + TASKS + " tasks completed in " + millis + " ms beside " + RECEIVERS
                    + " virtual threads blocked in receive on " + Runtime.version());
            assertEquals(TASKS, done.get());
            assertEquals(RECEIVERS, received.getCount(), "receivers must still be waiting");

            for (int i = 0; i < RECEIVERS; i++) {
                queues.get(i % QUEUES).send(ByteBuffer.wrap(new byte[] {(byte) i}), i % 3);
            }
            assertTrue(received.await(60, TimeUnit.SECONDS), received.getCount() + " receivers got nothing");
            for (Future<Received> f : receivers) {
                assertEquals(1, f.get().length());
            }
        } finally {
            virtual.shutdownNow();
            for (MessageQueue q : queues) {
                PosixMessageQueue.unlink(q.address().substring(3, q.address().indexOf('?')));
                q.close();
            }
        }
    }

    @Test
    void virtualThreadsBlockedInAcquireDoNotStarveOthers() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+; this JVM is " + Runtime.version());
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        String posix = "sem:/" + TestSupport.unique("vtsem");
        int key = 0x2E00_0000 | (int) (ProcessHandle.current().pid() & 0xFFFF);
        try (org.ipc4j.Semaphore a = Ipc.openSemaphore(posix + "?create");
             org.ipc4j.Semaphore b = Ipc.openSemaphore("sysvsem:" + key + "?create")) {
            int waiters = 200;
            CountDownLatch acquired = new CountDownLatch(2 * waiters);
            for (int i = 0; i < 2 * waiters; i++) {
                org.ipc4j.Semaphore s = i % 2 == 0 ? a : b;
                virtual.submit(() -> {
                    s.acquire();
                    acquired.countDown();
                    return null;
                });
            }
            AtomicInteger done = new AtomicInteger();
            List<Future<?>> small = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                small.add(virtual.submit(done::incrementAndGet));
            }
            for (Future<?> f : small) {
                f.get(20, TimeUnit.SECONDS);
            }
            assertEquals(TASKS, done.get());
            for (int i = 0; i < waiters; i++) {
                a.release();
                b.release();
            }
            assertTrue(acquired.await(60, TimeUnit.SECONDS), acquired.getCount() + " waiters got no permit");
            a.unlink();
            b.unlink();
        } finally {
            virtual.shutdownNow();
        }
    }
}
