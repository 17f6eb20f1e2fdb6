package org.ipc4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.Ipc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LsRmTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static String unique(String what) {
        return "ipc4j-" + what + "-" + PID + "-" + COUNTER.incrementAndGet();
    }

    private static Cli.Result ls(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "ls";
        args[1] = "--json";
        System.arraycopy(extra, 0, args, 2, extra.length);
        Cli.Result r = Cli.run(args);
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    /** The JSON object of {@code name} in {@code ls --json} output, or null. */
    private static String entry(String json, String name) {
        for (String o : json.split("\\},\\{")) {
            if (o.contains("\"name\":\"" + name + "\"")) {
                return o;
            }
        }
        return null;
    }

    @Test
    @Timeout(90)
    void listsAndRemovesObjectsMadeByACProgram(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed");
        Path src = Path.of("target", "c", "makeobjects.c");
        Files.createDirectories(src.getParent());
        try (InputStream in = LsRmTest.class.getResourceAsStream("/c/makeobjects.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = src.resolveSibling("makeobjects");
        Process gcc = new ProcessBuilder("gcc", "-O1", "-o", exe.toString(), src.toString()).inheritIO().start();
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed");

        String name = unique("ls");
        int key = 0x1c600000 + (int) (PID & 0xfffff) * 4;
        Path fifo = dir.resolve("c.fifo");
        Process c = new ProcessBuilder(exe.toString(), name, Integer.toString(key), fifo.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("READY", out.readLine());
            String json = ls("--dir", dir.toString()).out();

            String shm = entry(json, "shm:/" + name + "-shm");
            assertTrue(shm != null && shm.contains("\"kind\":\"shm\"") && shm.contains("\"size\":4096")
                    && shm.contains("\"mode\":\"rw-r-----\"") && shm.contains("\"owner\":\"root\""), json);
            String sem = entry(json, "sem:/" + name + "-sem");
            assertTrue(sem != null && sem.contains("\"value\":3"), json);
            String pmq = entry(json, "mq:/" + name + "-mq");
            assertTrue(pmq != null && pmq.contains("\"mode\":\"rw----r--\"") && pmq.contains("\"bytesQueued\":5"), json);
            String mq = entry(json, "sysvmq:0x" + Integer.toHexString(key));
            assertTrue(mq != null && mq.contains("\"mode\":\"rw-------\""), json);
            String f = entry(json, fifo.toString());
            assertTrue(f != null && f.contains("\"kind\":\"fifo\"") && f.contains("\"mode\":\"rw--w----\""), json);

            String sock = entry(json, fifo + ".sock");
            assertTrue(sock != null && sock.contains("\"kind\":\"socket\""), json);

            Cli.Result text = Cli.run("ls", "--dir", dir.toString(), "--kind", "fifo");
            assertTrue(text.out().startsWith("KIND") && text.out().contains(fifo.toString()), text.toString());

            Cli.Result rm = Cli.run("rm", "shm:/" + name + "-shm", "sem:/" + name + "-sem", "mq:/" + name + "-mq",
                    "sysvmq:0x" + Integer.toHexString(key), fifo.toString(), fifo + ".sock");
            assertEquals(0, rm.code(), rm.toString());
            String after = ls("--dir", dir.toString()).out();
            assertFalse(after.contains(name) || after.contains(fifo.toString())
                    || after.contains("sysvmq:0x" + Integer.toHexString(key) + "\""), after);

            Cli.Result again = Cli.run("rm", "shm:/" + name + "-shm");
            assertEquals(1, again.code(), again.toString());
            assertTrue(again.err().contains("no such object: shm:/" + name + "-shm"), again.toString());
        } finally {
            c.getOutputStream().close();
            if (!c.waitFor(10, TimeUnit.SECONDS)) {
                c.destroyForcibly();
            }
        }
    }

    /** Writes an ipc4j header as ipc-shm's RegionLayout documents it. */
    private static Path fakeRegion(String name, long pid, long startTicks) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        b.putLong(0, IpcObjects.MAGIC).putInt(8, 1).putInt(12, 0).putLong(16, 4096).putLong(24, 4096 - 128)
                .putLong(32, pid).putLong(40, startTicks).putInt(48, 1);
        Path p = IpcObjects.SHM.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static long startTicks(long pid) throws Exception {
        String line = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
        return Long.parseLong(line.substring(line.lastIndexOf(')') + 2).split(" ")[19]);
    }

    @Test
    @Timeout(60)
    void rmStaleRemovesOnlyRegionsWhoseCreatorIsDead() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        String prefix = unique("stale");
        Path dead = fakeRegion(prefix + "-dead", gone.pid(), 12345);
        Path live = fakeRegion(prefix + "-live", PID, startTicks(PID));
        Path reused = fakeRegion(prefix + "-reused", PID, startTicks(PID) + 1);   // our pid, another start: dead
        try {
            String json = ls("--kind", "shm").out();
            assertTrue(entry(json, "shm:/" + prefix + "-dead").contains("\"creatorAlive\":false"), json);
            assertTrue(entry(json, "shm:/" + prefix + "-live").contains("\"creatorAlive\":true"), json);
            assertTrue(entry(json, "shm:/" + prefix + "-dead").contains("\"kind\":\"shm-region\""), json);
            Cli.Result rm = Cli.run("rm", "--stale", "--match", prefix);
            assertEquals(0, rm.code(), rm.toString());
            assertFalse(Files.exists(dead), rm.toString());
            assertFalse(Files.exists(reused), rm.toString());
            assertTrue(Files.exists(live), rm.toString());
        } finally {
            Files.deleteIfExists(dead);
            Files.deleteIfExists(live);
            Files.deleteIfExists(reused);
        }
    }

    @Test
    @Timeout(90)
    void regionOfAKilledJvmIsStaleAndRmStaleRemovesOnlyIt() throws Exception {
        assumeTrue(Ipc.schemes().contains("shm"), "needs ipc-shm (scheme shm:) on the class path");
        String dead = unique("killed");
        String alive = unique("alive");
        try (Cli.Child holder = new Cli.Child("recv", "--listen", "shm:/" + dead + "?create", "--timeout", "60s");
             Cli.Child keeper = new Cli.Child("recv", "--listen", "shm:/" + alive + "?create", "--timeout", "60s")) {
            holder.awaitErr("listening on ", Duration.ofSeconds(40));
            keeper.awaitErr("listening on ", Duration.ofSeconds(40));
            holder.process.destroyForcibly();
            assertTrue(holder.process.waitFor(10, TimeUnit.SECONDS));
            String json = ls().out();
            String d = entry(json, "shm:/" + dead);
            assertTrue(d != null && d.contains("\"creatorAlive\":false"), json);
            assertTrue(entry(json, "shm:/" + alive).contains("\"creatorAlive\":true"), json);
            Cli.Result rm = Cli.run("rm", "--stale", "--match", "ipc4j-");
            assertEquals(0, rm.code(), rm.toString());
            assertTrue(rm.out().contains("removed shm:/" + dead), rm.toString());
            assertFalse(rm.out().contains(alive), rm.toString());
            assertTrue(Files.exists(IpcObjects.SHM.resolve(alive)));
        } finally {
            Files.deleteIfExists(IpcObjects.SHM.resolve(dead));
            Files.deleteIfExists(IpcObjects.SHM.resolve(alive));
        }
    }

    @Test
    @Timeout(30)
    void listsAbstractUnixSockets() throws Exception {
        assumeTrue(Ipc.schemes().contains("unix"), "no provider for scheme 'unix:'");
        String name = "@" + unique("abstract");
        try (org.ipc4j.ChannelListener l = Ipc.listen("unix:" + name)) {
            assertEquals("unix:" + name, l.address());
            String json = ls("--abstract", "--kind", "socket").out();
            String e = entry(json, name);
            assertTrue(e != null && e.contains("\"listening\":true") && e.contains("\"type\":\"stream\""), json);
            assertEquals(null, entry(ls("--kind", "socket").out(), name), "only with --abstract");
        }
    }

    @Test
    void rmRefusesWhatIsNotAnIpcObject(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Cli.Result r = Cli.run("rm", plain.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("not a FIFO, a Unix socket or a file in /dev/shm"), r.toString());
        assertTrue(Files.exists(plain));
        assertEquals(List.of(), List.of());
    }
}
