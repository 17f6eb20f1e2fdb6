package org.ipc4j.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Names, paths and C peers for the tests. */
final class TestSupport {
    static final Duration PEER_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestSupport() {
    }

    /** A name unique per run: letters, digits and '-'. */
    static String unique(String prefix) {
        return "ipc4j-" + prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** A fresh directory under target/. */
    static Path dir(String prefix) throws IOException {
        Path base = Path.of("target", "tmp").toAbsolutePath();
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    /** Compiles a C source (from test resources) into target/c/, again only when the source changed. */
    static synchronized Path compileC(String name, String... libs) throws IOException, InterruptedException {
        Path out = Path.of("target", "c").toAbsolutePath();
        Files.createDirectories(out);
        Path binary = out.resolve(name);
        Path source = out.resolve(name + ".c");
        byte[] text;
        try (var in = TestSupport.class.getResourceAsStream("/c/" + name + ".c")) {
            if (in == null) {
                throw new IOException("no test resource /c/" + name + ".c");
            }
            text = in.readAllBytes();
        }
        if (Files.exists(binary) && Files.exists(source) && java.util.Arrays.equals(text, Files.readAllBytes(source))) {
            return binary;
        }
        Files.write(source, text);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString()));
        cmd.addAll(List.of(libs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("gcc failed for " + name + ":\n" + log);
        }
        return binary;
    }

    /** /proc/self/fd entries now. */
    static int openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
