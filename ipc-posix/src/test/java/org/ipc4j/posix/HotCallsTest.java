package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.posix.internal.Errno;
import org.ipc4j.posix.internal.HotCalls;
import org.ipc4j.posix.internal.LibC;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.posix.internal.Spawner;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerMain;
import org.junit.jupiter.api.Test;

/**
 * The message-path calls of {@link HotCalls}, whichever way this JVM makes them: the build runs this
 * class on JDK 17 (this module's JNI library), again with {@code -Dipc4j.posix.jni=false} (JNA) and on
 * JDK 25 (foreign calls). Results, data and each thread's own errno must be what libc gives.
 */
class HotCallsTest {

    @Test
    void callsTakeTheCheapestWayThisJvmAllows() {
        boolean foreign = Boolean.parseBoolean(System.getProperty("ipc4j.posix.foreign", "true"))
                && Runtime.version().feature() >= 24;
        boolean jni = Boolean.parseBoolean(System.getProperty("ipc4j.posix.jni", "true"));
        assertEquals(foreign ? "foreign" : jni ? "JNI" : "JNA", HotCalls.route(),
                "a JVM " + Runtime.version() + " with jni=" + jni);
    }

    /**
     * A JVM whose temporary directory cannot take the library (here: it does not exist; a
     * {@code noexec} mount fails the same way, at load) makes its calls through JNA, and they work.
     */
    @Test
    void whereTheLibraryCannotLoadTheCallsGoThroughJna() throws Exception {
        try (PeerJvm peer = PeerJvm.builder(RouteReport.class)
                .jvmFlags("-Djava.io.tmpdir=/nonexistent-ipc4j-tmp", "-Dipc4j.posix.foreign=false").start()) {
            assertEquals("route=JNA echoed=hot calls", peer.awaitLine(l -> l.startsWith("route="), TestSupport.PEER_TIMEOUT));
            peer.assertExit(0, TestSupport.PEER_TIMEOUT);
        }
    }

    /** Says which way its calls go, then sends a message through a pipe pair and reads it back. */
    public static final class RouteReport {
        private RouteReport() {
        }

        public static void main(String[] args) throws Exception {
            int[] fds = Spawner.pipe("route report");
            try (Channel a = Posix.pipeChannel(-1, fds[1]); Channel b = Posix.pipeChannel(fds[0], -1)) {
                a.send(ByteBuffer.wrap("hot calls".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                ByteBuffer got = ByteBuffer.allocate(64);
                b.receive(got, java.time.Duration.ofSeconds(10));
                PeerMain.say("route=" + HotCalls.route() + " echoed="
                        + new String(got.array(), 0, got.position(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void bytesWrittenToAPipeAreReadBackAndPollSeesThem() throws Exception {
        int[] pipe = Spawner.pipe("hot calls test");
        try (Memory out = new Memory(64); Memory in = new Memory(64); Memory pollFd = new Memory(8)) {
            byte[] sent = new byte[64];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i * 7 + 1);
            }
            out.write(0, sent, 0, sent.length);
            pollFd.setInt(0, pipe[0]);
            pollFd.setShort(4, LibC.POLLIN);
            pollFd.setShort(6, (short) 0);
            assertEquals(0, HotCalls.poll(Pointer.nativeValue(pollFd), 1, 0), "poll of an empty pipe");

            assertEquals(64, HotCalls.write(pipe[1], Pointer.nativeValue(out), 64));
            assertEquals(1, HotCalls.poll(Pointer.nativeValue(pollFd), 1, 0), "poll of a pipe holding 64 bytes");
            assertEquals(LibC.POLLIN, pollFd.getShort(6));
            assertEquals(64, HotCalls.read(pipe[0], Pointer.nativeValue(in), 64));
            assertArrayEquals(sent, in.getByteArray(0, 64));
        } finally {
            Spawner.closeQuietly(pipe[0]);
            Spawner.closeQuietly(pipe[1]);
        }
    }

    @Test
    void aQueueMessageArrivesWithItsPriority() throws Exception {
        String name = "/" + TestSupport.unique("hot");
        Ipc.openQueue("mq:" + name + "?create&capacity=2&maxMessageSize=64").close();
        int mqd = LibC.mq_open(name, LibC.O_RDWR, 0, 0L);
        assertTrue(mqd >= 0, "mq_open " + name);
        try (Memory out = new Memory(64); Memory in = new Memory(64); Memory priority = new Memory(8)) {
            out.write(0, new byte[] {1, 2, 3, 4, 5}, 0, 5);
            Object state = HotCalls.state();
            assertEquals(0, HotCalls.mqTimedSend(state, mqd, Pointer.nativeValue(out), 5, 7, 0L));
            assertEquals(5, HotCalls.mqTimedReceive(state, mqd, Pointer.nativeValue(in), 64, Pointer.nativeValue(priority), 0L));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, in.getByteArray(0, 5));
            assertEquals(7, priority.getInt(0));
        } finally {
            LibC.mq_close(mqd);
            PosixMessageQueue.unlink(name);
        }
    }

    @Test
    void eachFailedCallLeavesItsErrnoWithItsOwnThread() throws Exception {
        try (Memory buffer = new Memory(64)) {
            long b = Pointer.nativeValue(buffer);
            Object state = HotCalls.state();
            assertEquals(-1, HotCalls.read(state, -1, b, 64));
            assertEquals(Errno.EBADF, HotCalls.errno(state), "read of descriptor -1");
            assertEquals(-1, HotCalls.write(state, -1, b, 64));
            assertEquals(Errno.EBADF, HotCalls.errno(state), "write to descriptor -1");
            assertEquals(-1, HotCalls.mqTimedSend(state, -1, b, 1, 0, 0L));
            assertEquals(Errno.EBADF, HotCalls.errno(state), "mq_timedsend to descriptor -1");
            assertEquals(-1, HotCalls.mqTimedReceive(state, -1, b, 64, 0L, 0L));
            assertEquals(Errno.EBADF, HotCalls.errno(state), "mq_timedreceive from descriptor -1");

            // another thread's failure (EINVAL: more descriptors than RLIMIT_NOFILE) leaves ours alone
            int other = CompletableFuture.supplyAsync(() -> {
                int r = HotCalls.poll(0L, 1L << 30, 0);
                return r == -1 ? HotCalls.errno() : -1000 - r;
            }).get(10, TimeUnit.SECONDS);
            assertEquals(Errno.EINVAL, other, "errno of poll with 2^30 descriptors, in another thread");
            assertEquals(Errno.EBADF, HotCalls.errno(state), "this thread's errno after another thread's failure");
        }
    }
}
