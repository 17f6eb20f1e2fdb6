package org.ipc4j.tools;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The second process of the demo and the benchmark: this jar (or class path) in another JVM running
 * the hidden {@code ipc peer} command, driven by lines on its standard input. It exits when its
 * standard input ends, so it never outlives this process.
 */
final class PeerLink implements AutoCloseable {
    private static final String EOF = "\u0000EOF";
    private final Process process;
    private final PrintWriter toPeer;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer errors = new StringBuffer();

    private PeerLink(Process process) {
        this.process = process;
        this.toPeer = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), true), "ipc-peer-out");
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), false), "ipc-peer-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    private void pump(BufferedReader r, boolean stdout) {
        try (r) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (stdout) {
                    lines.add(l);
                } else if (errors.length() < 20_000) {
                    errors.append(l).append('\n');
                }
            }
        } catch (IOException e) {
            // process gone
        }
        if (stdout) {
            lines.add(EOF);
        }
    }

    /** The command that runs {@code ipc peer} in a JVM like this one. */
    static List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String flags = System.getProperty("ipc.tools.jvmFlags");
        if (flags != null && !flags.isBlank()) {
            cmd.addAll(List.of(flags.trim().split("\\s+")));
            cmd.add("-Dipc.tools.jvmFlags=" + flags.trim());
        } else {
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-Dchronicle")) {
                    cmd.add(a);
                }
            }
        }
        for (String p : List.of("ipc.provider", "org.slf4j.simpleLogger.defaultLogLevel")) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(IpcCommand.class.getName());
        cmd.add("peer");
        return cmd;
    }

    /** Starts the peer and waits for its ready line. */
    static PeerLink start(Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command()).start();
        PeerLink link = new PeerLink(p);
        try {
            link.await("PEER", timeout);
        } catch (IOException e) {
            link.close();
            throw e;
        }
        return link;
    }

    long pid() {
        return process.pid();
    }

    void send(String... fields) {
        toPeer.println(String.join("\t", fields));
    }

    /** The next line starting with {@code prefix}; an ERROR line or the peer's exit is an exception. */
    String await(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String l;
            try {
                l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for the peer");
            }
            if (l == null) {
                throw new IOException("the peer (pid " + pid() + ") said nothing for " + timeout.toSeconds()
                        + "s while " + prefix + " was awaited");
            }
            if (l.equals(EOF)) {
                lines.add(EOF);
                throw new IOException("the peer (pid " + pid() + ") exited; its errors: " + lastErrors());
            }
            if (l.startsWith("ERROR\t")) {
                throw new IOException("peer: " + l.substring(6));
            }
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }

    private String lastErrors() {
        String e = errors.toString().trim();
        int nl = e.lastIndexOf('\n');
        return e.isEmpty() ? "none" : nl < 0 ? e : e.substring(nl + 1);
    }

    @Override
    public void close() {
        toPeer.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
