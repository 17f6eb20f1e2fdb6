package org.ipc4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Ipc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Round trips written as a bash script, and the launcher script the build makes. */
class ShellTest {
    @Test
    @Timeout(150)
    void roundTripsFromBash(@TempDir Path dir) throws Exception {
        for (String scheme : List.of("mq", "shm", "tcp", "fifo")) {
            assumeTrue(Ipc.schemes().contains(scheme), "no provider for scheme '" + scheme + ":' on the class path");
        }
        Path script = dir.resolve("roundtrip.sh");
        try (InputStream in = ShellTest.class.getResourceAsStream("/shell/roundtrip.sh")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("IPC_CP", System.getProperty("java.class.path"));
        pb.environment().put("IPC_FLAGS", System.getProperty("ipc.tools.jvmFlags", "--enable-native-access=ALL-UNNAMED"));
        pb.environment().put("PATH", System.getProperty("java.home") + "/bin:" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(140, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("ALL OK"), out);
    }

    @Test
    void launcherScriptCarriesTheJvmFlags() throws Exception {
        Path launcher = Path.of(System.getProperty("ipc.tools.launcher", "target/ipc"));
        assertTrue(Files.isExecutable(launcher), launcher + " must be executable");
        String text = Files.readString(launcher);
        assertTrue(text.startsWith("#!/usr/bin/env bash"), text);
        assertTrue(text.contains("--enable-native-access=ALL-UNNAMED") && text.contains("--add-exports=java.base/sun.nio.ch"),
                text);
        assertTrue(text.contains("-jar \"$jar\" \"$@\"") && text.contains("-all.jar"), text);
    }
}
