package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Signal;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.peer.EchoPeer;
import org.junit.jupiter.api.Test;

class ChildProcessTest {

    static String string(ByteBuffer b) {
        b.flip();
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @Test
    void cChildOnInheritedDescriptorsSeesOnlyThoseAndItsExitIsObservable() throws Exception {
        String binary = TestSupport.compileC("pipe_peer").toString();
        try (ChildProcess child = ChildProcess.builder(binary).channel(3, 4)
                .stdin(ChildProcess.Stdio.NULL).stdout(ChildProcess.Stdio.PIPE).start()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
            assertEquals("FDS 5", out.readLine(), "the child must hold only 0, 1, 2, 3 and 4");
            Channel c = child.channel();
            c.send(PosixMessageQueueTest.text("hello child"));
            ByteBuffer b = ByteBuffer.allocate(64);
            assertEquals(11, c.receive(b, TestSupport.PEER_TIMEOUT));
            assertEquals("HELLO CHILD", string(b));
            assertTrue(child.isAlive());
            c.close();
            assertEquals(7, child.waitFor(TestSupport.PEER_TIMEOUT).orElseThrow());
            assertTrue(!child.isAlive());
        }
    }

    @Test
    void peerJvmConnectsToPipeDescriptorsByAddress() throws Exception {
        List<String> cmd = PeerJvm.javaCommand(EchoPeer.class, List.of(), List.of("pipe:?read=3&write=4"));
        try (ChildProcess child = ChildProcess.builder(cmd).channel(3, 4)
                .stdin(ChildProcess.Stdio.PIPE).stdout(ChildProcess.Stdio.PIPE).stderr(ChildProcess.Stdio.PIPE).start()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("READY", line, () -> "child said " + line);
            Channel c = child.channel();
            for (String m : List.of("a", "bb", "x".repeat(60_000))) {
                c.send(PosixMessageQueueTest.text(m));
                ByteBuffer b = ByteBuffer.allocate(c.maxMessageSize());
                assertEquals(m.length(), c.receive(b, TestSupport.PEER_TIMEOUT));
                assertEquals(m, string(b));
            }
            c.close();
            assertEquals("ECHOED 3", out.readLine());
            assertEquals(0, child.waitFor(TestSupport.PEER_TIMEOUT).orElseThrow());
        }
    }

    @Test
    void killedChildIsSeenAsEndOfStreamAndSignalExit() throws Exception {
        try (ChildProcess child = ChildProcess.builder("sleep", "60").channel(3, 4)
                .stdin(ChildProcess.Stdio.NULL).start()) {
            Channel c = child.channel();
            child.kill(Signal.KILL);
            assertEquals(128 + 9, child.waitFor(TestSupport.PEER_TIMEOUT).orElseThrow());
            assertEquals(-1, c.receive(ByteBuffer.allocate(16), TestSupport.PEER_TIMEOUT));
            assertThrows(org.ipc4j.PeerClosedException.class, () -> c.send(PosixMessageQueueTest.text("x")));
        }
    }

    @Test
    void missingProgramAndBadDescriptorsAreRefused() throws Exception {
        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class,
                () -> ChildProcess.builder("/no/such/program").start());
        assertTrue(missing.getMessage().contains("posix_spawnp(/no/such/program)"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChildProcess.builder("cat").channel(1, 4));
        ObjectNotFoundException notOpen = assertThrows(ObjectNotFoundException.class,
                () -> Ipc.connect("pipe:?read=1000"));
        assertTrue(notOpen.getMessage().contains("descriptor 1000"), notOpen.getMessage());
        try (var file = new java.io.FileInputStream("/proc/self/stat")) {
            assertTrue(file.getFD().valid());
            // descriptor 0 of the test JVM is a pipe from surefire or a terminal; a regular file is refused
            IpcException notPipe = assertThrows(IpcException.class, () -> Ipc.connect("pipe:?read=" + openRegularFile()));
            assertTrue(notPipe.getMessage().contains("not a pipe"), notPipe.getMessage());
        }
        assertThrows(org.ipc4j.InvalidAddressException.class, () -> Ipc.connect("pipe:?framing=raw"));
        assertThrows(org.ipc4j.InvalidAddressException.class, () -> Ipc.connect("pipe:?read=3&write=3"));
    }

    private static int openRegularFile() throws Exception {
        int fd = org.ipc4j.posix.internal.LibC.open("/proc/self/stat", 0, 0);
        assertTrue(fd >= 0);
        return fd;
    }

    @Test
    void pipeSpawnChildWaitsWithoutBlockingOtherThreads() throws Exception {
        try (ChildProcess child = ChildProcess.builder("sh", "-c", "exit 3").stdin(ChildProcess.Stdio.NULL).start()) {
            assertEquals(3, child.waitFor(Duration.ofSeconds(30)).orElseThrow());
            assertEquals(3, child.waitFor());
        }
    }
}
