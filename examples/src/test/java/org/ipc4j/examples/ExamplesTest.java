package org.ipc4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Ipc;
import org.ipc4j.Signal;
import org.ipc4j.examples.jobs.WorkerPoolExample;
import org.ipc4j.examples.market.MarketDataExample;
import org.ipc4j.examples.reload.ConfigReloadExample;
import org.ipc4j.examples.rpc.RpcExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example as its README does, with its second processes. */
class ExamplesTest {
    private static final long PID = ProcessHandle.current().pid();

    private static boolean leftInShm(String text) throws Exception {
        try (var s = Files.list(Path.of("/dev/shm"))) {
            return s.anyMatch(p -> p.getFileName().toString().contains(text));
        }
    }

    @Test
    @Timeout(120)
    void requestResponseOverAUnixSocket(@TempDir Path dir) throws Exception {
        assertEquals(0, RpcExample.run("unix:" + dir.resolve("rpc.sock") + "?impl=jdk", 2, 200));
        assertFalse(Files.exists(dir.resolve("rpc.sock")), "the listener removes its socket file");
    }

    @Test
    @Timeout(120)
    void requestResponseOnTheDefaultAddress() throws Exception {
        assertEquals(0, RpcExample.run(null, 2, 200));
    }

    @Test
    @Timeout(120)
    void workerPoolFedByAPosixQueue() throws Exception {
        assertEquals(0, WorkerPoolExample.run(2, 100));
        try (var s = Files.list(Path.of("/dev/shm"))) {
            assertTrue(s.noneMatch(p -> p.toString().contains("ipc4j-example-" + PID)));
        }
    }

    @Test
    @Timeout(120)
    void marketDataOverAShmChannel() throws Exception {
        assertEquals(0, MarketDataExample.run(20_000));
        assertFalse(leftInShm("ipc4j-example-ticks-" + PID), "the listener removes its shm file");
    }

    @Test
    @Timeout(60)
    void configReloadsOnSighup(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("app.properties"), "greeting=hello\n");
        Process app = Jvm.start(ConfigReloadExample.class, file.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("loaded " + file + ": greeting=hello", out.readLine());
            assertTrue(out.readLine().startsWith("running as pid " + app.pid()));
            Files.writeString(file, "greeting=bye\n");
            Ipc.signals().send(app.pid(), Signal.HUP);
            assertEquals("reloaded " + file + ": greeting=bye", out.readLine());
            Ipc.signals().send(app.pid(), Signal.TERM);
            assertEquals("stopped", out.readLine());
            assertTrue(app.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, app.exitValue());
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    @Timeout(60)
    void configReloadSelfTest() throws Exception {
        Process p = Jvm.start(ConfigReloadExample.class, "--self-test");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("self-test passed"), out);
    }
}
