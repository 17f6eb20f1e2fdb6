package org.ipc4j.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A process on the other side of a test: a peer JVM ({@link PeerJvm}), a C program or a Python script.
 *
 * <p>Its standard output and error are copied line by line into this JVM's standard output with the
 * prefix {@code [name pid]}, and kept so that a test can wait for a line ({@link #awaitLine}). Its
 * standard input stays open: {@link #sendLine(String)} writes to it, and a peer JVM running under
 * {@link PeerMain} exits by itself when it reaches end of input, which is what happens when this
 * JVM dies, however it dies.
 *
 * <p>{@link #close()} kills the process and every process it started (SIGKILL), and waits for them.
 * {@link PeerReaper} does the same when the test that started it times out or ends, and every peer
 * still alive when this JVM exits normally is killed by a shutdown hook.
 */
public class PeerProcess implements Peer {
    /** The line a peer prints when it is ready; see {@link PeerMain#ready()}. */
    public static final String READY = "READY";

    private static final Set<PeerProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicLong STARTED = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(PeerProcess::killTree), "peer-reaper"));
    }

    private final String name;
    private final Process process;
    private final long serial = STARTED.incrementAndGet();
    private final List<String> lines = new ArrayList<>();
    private final OutputStream stdin;
    private final Thread outPump;
    private final Thread errPump;
    private boolean streamsEnded;
    private int endedStreams;

    /**
     * Wraps a started process and begins copying its output.
     *
     * @param name a short name for the log prefix
     * @param process the started process, with piped standard streams
     */
    protected PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        LIVE.add(this);
        this.outPump = pump(process.getInputStream(), "out");
        this.errPump = pump(process.getErrorStream(), "err");
    }

    /**
     * Starts any command (a C program, {@code python3 script.py}) as a peer.
     *
     * @param name a short name for the log prefix
     * @param command the program and its arguments
     */
    public static PeerProcess start(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new PeerProcess(name, pb.start());
    }

    private Thread pump(InputStream in, String stream) {
        Thread t = new Thread(() -> {
            PrintStream log = System.out;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.println("[" + name + " " + process.pid() + (stream.equals("err") ? " err" : "") + "] " + line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                log.println("[" + name + " " + process.pid() + "] output ended: " + e);
            } finally {
                synchronized (lines) {
                    if (++endedStreams == 2) {
                        streamsEnded = true;
                    }
                    lines.notifyAll();
                }
            }
        }, "peer-" + name + "-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The short name used in the log prefix. */
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** The underlying process. */
    public Process process() {
        return process;
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * Waits for the first line (printed at any time, before or after this call) that matches.
     *
     * @return the line
     * @throws AssertionError if the process ends or the timeout passes without such a line; the
     *     message holds the process's output
     */
    @Override
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int checked = 0;
            while (true) {
                for (; checked < lines.size(); checked++) {
                    if (matcher.test(lines.get(checked))) {
                        return lines.get(checked);
                    }
                }
                if (streamsEnded) {
                    throw new AssertionError("peer " + name + " (pid " + pid() + ") ended its output without the expected line;"
                            + exitNote() + " output:\n" + String.join("\n", lines));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("peer " + name + " (pid " + pid() + ") printed no expected line within "
                            + timeout + "; output:\n" + String.join("\n", lines));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for peer " + name, e);
                }
            }
        }
    }

    @Override
    public void sendLine(String line) {
        try {
            synchronized (stdin) {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to peer " + name + " (pid " + pid() + ")" + exitNote(), e);
        }
    }

    /**
     * Waits for the process to exit.
     *
     * @return its exit code (128 + n if killed by signal n)
     * @throws AssertionError if it is still running after {@code timeout} (it is then killed)
     */
    @Override
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                killTree();
                throw new AssertionError("peer " + name + " (pid " + pid() + ") did not exit within " + timeout
                        + "; killed it. Output:\n" + String.join("\n", output()));
            }
            outPump.join(TimeUnit.SECONDS.toMillis(5));
            errPump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for peer " + name, e);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    /** Closes the process's standard input: a peer under {@link PeerMain} then exits. */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone: nothing to close
        }
    }

    @Override
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process and all its descendants, then waits for it. Idempotent. */
    @Override
    public void close() {
        killTree();
        LIVE.remove(this);
    }

    /** How many peers this JVM has started so far; a mark for {@link #closeStartedAfter}. */
    static long startedCount() {
        return STARTED.get();
    }

    /**
     * Kills every live peer started after {@code mark} (a value of {@link #startedCount()}).
     *
     * @return how many were still alive
     */
    static int closeStartedAfter(long mark, String reason) {
        int killed = 0;
        for (PeerProcess peer : List.copyOf(LIVE)) {
            if (peer.serial > mark) {
                if (peer.isAlive()) {
                    System.out.println("[" + peer.name + " " + peer.pid() + "] killed: " + reason);
                    killed++;
                }
                peer.close();
            }
        }
        return killed;
    }

    private void killTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            process.toHandle().descendants().forEach(tree::add);
        } catch (RuntimeException e) {
            // the process table changed while we walked it; kill what we found
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeInput();
    }

    private String exitNote() {
        return process.isAlive() ? "" : " it exited with " + process.exitValue() + ";";
    }

    @Override
    public String toString() {
        return "peer " + name + " (pid " + pid() + ")";
    }
}
