package org.ipc4j.testkit.contract;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.Peer;
import org.ipc4j.testkit.PeerProcess;
import org.ipc4j.testkit.peer.ChannelPeer;

/**
 * A channel peer program run by a thread of this JVM instead of a peer JVM: the in-process half of
 * every {@link ChannelContract} case. Its lines are logged with the prefix {@code [name thread]}.
 * {@link #kill()} closes its channel and interrupts it.
 */
final class ChannelThreadPeer implements Peer, ChannelPeer.Io {
    private static final String EOF = new String("<end of input>");

    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final BlockingQueue<String> input = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Channel channel;
    private volatile Throwable failure;
    private volatile boolean killed;
    private boolean ended;

    private ChannelThreadPeer(String name, String address, ChannelPeer.Program program, List<String> args) {
        this.name = name;
        this.thread = new Thread(() -> run(address, program, args), "peer-thread-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts {@code program} on a new thread that first connects to {@code address}. */
    static ChannelThreadPeer start(String name, String address, ChannelPeer.Program program, List<String> args) {
        ChannelThreadPeer peer = new ChannelThreadPeer(name, address, program, args);
        peer.thread.start();
        return peer;
    }

    private void run(String address, ChannelPeer.Program program, List<String> args) {
        try (Channel c = Ipc.connect(address)) {
            channel = c;
            say(PeerProcess.READY);
            program.run(c, args, this);
        } catch (Throwable t) {
            if (killed) {
                say("ended by kill(): " + t);
                return;
            }
            failure = t;
            say("FAILED " + t);
            PrintStream log = System.out;
            synchronized (log) {
                log.print("[" + name + " thread] ");
                t.printStackTrace(log);
            }
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    @Override
    public void say(String line) {
        System.out.println("[" + name + " thread] " + line);
        synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
        }
    }

    @Override
    public String nextLine(Duration timeout) throws InterruptedException {
        String line = input.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new IllegalStateException("no line from the test within " + timeout);
        }
        if (line == EOF) {
            input.add(EOF);
            throw new IllegalStateException("the test closed the peer's input");
        }
        return line;
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

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
                if (ended) {
                    throw new AssertionError("peer thread " + name + " ended without the expected line; output:\n"
                            + String.join("\n", lines));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("peer thread " + name + " said no expected line within " + timeout
                            + "; output:\n" + String.join("\n", lines));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for peer thread " + name, e);
                }
            }
        }
    }

    @Override
    public void sendLine(String line) {
        input.add(line);
    }

    /** Returns 0 if the program returned, 1 if it threw. */
    @Override
    public int awaitExit(Duration timeout) {
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for peer thread " + name, e);
        }
        if (thread.isAlive()) {
            kill();
            throw new AssertionError("peer thread " + name + " did not end within " + timeout
                    + "; closed its channel. Output:\n" + String.join("\n", output()));
        }
        return failure == null ? 0 : 1;
    }

    @Override
    public void kill() {
        killed = true;
        input.add(EOF);
        Channel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                say("closing the channel failed: " + e);
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (thread.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "peer thread " + name;
    }
}
