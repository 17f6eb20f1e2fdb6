package org.ipc4j.tools;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Runs the ipc command in this JVM or in a child JVM, as a shell would. */
final class Cli {
    private Cli() {
    }

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs in this JVM. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IpcCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A child JVM running {@code ipc args} on this class path. */
    static final class Child implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<String> errLines = new LinkedBlockingQueue<>();
        final StringBuffer err = new StringBuffer();
        final CompletableFuture<String> out = new CompletableFuture<>();

        Child(String... args) throws IOException {
            this(System.getProperty("java.class.path"), List.of(args));
        }

        /** A child on {@code classPath} instead of this JVM's. */
        static Child onClassPath(String classPath, String... args) throws IOException {
            return new Child(classPath, List.of(args));
        }

        private Child(String classPath, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            String flags = System.getProperty("ipc.tools.jvmFlags", "--enable-native-access=ALL-UNNAMED");
            cmd.addAll(List.of(flags.trim().split("\\s+")));
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(IpcCommand.class.getName());
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).start();
            Thread e = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        err.append(l).append('\n');
                        errLines.add(l);
                    }
                } catch (IOException ignored) {
                    // gone
                }
            });
            e.setDaemon(true);
            e.start();
            Thread o = new Thread(() -> {
                try {
                    out.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ex) {
                    out.completeExceptionally(ex);
                }
            });
            o.setDaemon(true);
            o.start();
        }

        /** The first standard-error line starting with {@code prefix}, within {@code timeout}. */
        String awaitErr(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String l = errLines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) {
                    throw new AssertionError("no '" + prefix + "' line on stderr within " + timeout + "; stderr:\n" + err);
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
        }

        Result await(Duration timeout) throws Exception {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ipc did not exit within " + timeout + "; stderr:\n" + err);
            }
            String o = out.get(10, TimeUnit.SECONDS);
            Thread.onSpinWait();
            return new Result(process.exitValue(), o, err.toString());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
