package org.ipc4j.posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.ipc4j.Channel;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.Signal;
import org.ipc4j.posix.internal.Deadline;
import org.ipc4j.posix.internal.FdChannel;
import org.ipc4j.posix.internal.FdStreams;
import org.ipc4j.posix.internal.PipeChannel;
import org.ipc4j.posix.internal.PosixSignals;
import org.ipc4j.posix.internal.Spawner;

/**
 * A child process (any program: another JVM, {@code cat}, a C binary) started with
 * {@code posix_spawn}, with pipe ends placed on descriptors of the child's choosing while this
 * process keeps the other ends. What Java's {@link ProcessBuilder} cannot do.
 *
 * <pre>{@code
 * try (ChildProcess child = ChildProcess.builder("java", "-cp", cp, "app.Worker")
 *         .channel(3, 4)                       // child reads fd 3, writes fd 4
 *         .start()) {
 *     Channel c = child.channel();             // our ends: write to its 3, read from its 4
 *     c.send(ByteBuffer.wrap(job));
 *     // the child: Ipc.connect("pipe:?read=3&write=4")
 *     int exit = child.waitFor(Duration.ofSeconds(10)).orElseThrow();
 * }
 * }</pre>
 *
 * <p>The child gets only the descriptors asked for: standard input, output and error (inherited
 * unless {@link Stdio} says otherwise) and the placed pipe ends; every other descriptor is closed
 * in it. {@link #close()} closes this process's ends and handles; it does not kill the child (use
 * {@link #kill(Signal)}).
 */
public final class ChildProcess implements AutoCloseable {

    /** What a standard stream of the child is connected to. */
    public enum Stdio {
        /** The same as this process's. */
        INHERIT,
        /** /dev/null. */
        NULL,
        /** A pipe to this process: {@link #stdin()}, {@link #stdout()} or {@link #stderr()}. */
        PIPE
    }

    private final Spawner.Child child;
    private final List<String> command;
    private final Channel channel;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;

    private ChildProcess(Spawner.Child child, List<String> command, Channel channel, OutputStream stdin,
            InputStream stdout, InputStream stderr) {
        this.child = child;
        this.command = command;
        this.channel = channel;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts building a child that runs {@code command} (searched on the PATH). */
    public static Builder builder(String... command) {
        return new Builder(Arrays.asList(command));
    }

    /** Starts building a child that runs {@code command} (searched on the PATH). */
    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /** The child's pid. */
    public long pid() {
        return child.pid();
    }

    /** The command line. */
    public List<String> command() {
        return command;
    }

    /**
     * This process's end of the channel set with {@link Builder#channel(int, int)}.
     *
     * @throws IllegalStateException if none was asked for
     */
    public Channel channel() {
        if (channel == null) {
            throw new IllegalStateException("no channel was asked for: call Builder.channel(readFd, writeFd)");
        }
        return channel;
    }

    /** The pipe to the child's standard input ({@link Stdio#PIPE}). */
    public OutputStream stdin() {
        if (stdin == null) {
            throw new IllegalStateException("stdin is not a pipe: call Builder.stdin(Stdio.PIPE)");
        }
        return stdin;
    }

    /** The pipe from the child's standard output ({@link Stdio#PIPE}). */
    public InputStream stdout() {
        if (stdout == null) {
            throw new IllegalStateException("stdout is not a pipe: call Builder.stdout(Stdio.PIPE)");
        }
        return stdout;
    }

    /** The pipe from the child's standard error ({@link Stdio#PIPE}). */
    public InputStream stderr() {
        if (stderr == null) {
            throw new IllegalStateException("stderr is not a pipe: call Builder.stderr(Stdio.PIPE)");
        }
        return stderr;
    }

    /**
     * Waits for the child to exit (and reaps it).
     *
     * @return its exit code, or 128 + the signal number if a signal ended it; empty on timeout
     */
    public OptionalInt waitFor(Duration timeout) throws IOException {
        Integer code = child.waitFor(Deadline.after(timeout));
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** Waits for the exit without limit; see {@link #waitFor(Duration)}. */
    public int waitFor() throws IOException {
        return child.waitFor(Deadline.never());
    }

    /** True while the child runs. */
    public boolean isAlive() throws IOException {
        return child.isAlive();
    }

    /** Sends a signal to the child. */
    public void kill(Signal signal) throws IOException {
        if (child.isAlive()) {
            PosixSignals.instance().send(child.pid(), signal);
        }
    }

    /** Kills the child with SIGKILL and waits up to {@code timeout} for it to end. */
    public int destroy(Duration timeout) throws IOException {
        kill(Signal.KILL);
        Integer code = child.waitFor(Deadline.after(timeout));
        if (code == null) {
            throw new IpcTimeoutException(child.object(), "wait after SIGKILL", timeout);
        }
        return code;
    }

    /** Closes this process's pipe ends and handles; the child keeps running if it is. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
        if (stdin != null) {
            stdin.close();
        }
        if (stdout != null) {
            stdout.close();
        }
        if (stderr != null) {
            stderr.close();
        }
        child.close();
    }

    @Override
    public String toString() {
        return "ChildProcess[pid=" + child.pid() + ", " + String.join(" ", command) + "]";
    }

    /** Builds and starts a {@link ChildProcess}. */
    public static final class Builder {
        private final List<String> command;
        private int childRead = -1;
        private int childWrite = -1;
        private boolean framed = true;
        private int maxMessageSize = FdChannel.DEFAULT_MAX_MESSAGE;
        private Stdio in = Stdio.INHERIT;
        private Stdio out = Stdio.INHERIT;
        private Stdio err = Stdio.INHERIT;
        private Map<String, String> environment;
        private final Map<Integer, Integer> placed = new LinkedHashMap<>();

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("command must not be empty");
            }
            this.command = List.copyOf(command);
        }

        /**
         * A duplex channel: the child reads what we send on {@code childReadFd} and writes what we
         * receive on {@code childWriteFd}; it opens them with {@code pipe:?read=R&write=W}. Either may
         * be -1 for a one-way channel. Descriptors 0, 1 and 2 are refused (use {@link Stdio}).
         */
        public Builder channel(int childReadFd, int childWriteFd) {
            for (int fd : new int[] {childReadFd, childWriteFd}) {
                if (fd != -1 && fd < 3) {
                    throw new IllegalArgumentException("channel descriptors must be 3 or more (or -1 for none): fd=" + fd);
                }
            }
            if (childReadFd == childWriteFd) {
                throw new IllegalArgumentException("read and write descriptors must differ: fd=" + childReadFd);
            }
            this.childRead = childReadFd;
            this.childWrite = childWriteFd;
            return this;
        }

        /**
         * Places a descriptor this process has (a pipe end made elsewhere, a file) on {@code childFd} in
         * the child; this process keeps its own copy and closes it when it likes.
         */
        public Builder place(int parentFd, int childFd) {
            if (parentFd < 0 || childFd < 3) {
                throw new IllegalArgumentException("place needs parentFd >= 0 and childFd >= 3 (use Stdio for 0 to 2):"
                        + " parentFd=" + parentFd + ", childFd=" + childFd);
            }
            placed.put(childFd, parentFd);
            return this;
        }

        /** Frames messages with a 4-byte length (true, the default) or sends raw bytes. */
        public Builder framed(boolean value) {
            this.framed = value;
            return this;
        }

        /** The channel's largest message (default 64 KiB); must match the child's maxMessageSize. */
        public Builder maxMessageSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxMessageSize must be 1 or more: maxMessageSize=" + value);
            }
            this.maxMessageSize = value;
            return this;
        }

        /** The child's standard input. */
        public Builder stdin(Stdio value) {
            this.in = value;
            return this;
        }

        /** The child's standard output. */
        public Builder stdout(Stdio value) {
            this.out = value;
            return this;
        }

        /** The child's standard error. */
        public Builder stderr(Stdio value) {
            this.err = value;
            return this;
        }

        /** The child's whole environment (default: this process's). */
        public Builder environment(Map<String, String> value) {
            this.environment = new LinkedHashMap<>(value);
            return this;
        }

        /** Starts the child. */
        public ChildProcess start() throws IOException {
            String name = command.get(0);
            Map<Integer, Integer> placements = new LinkedHashMap<>(placed);
            List<Integer> devNull = new ArrayList<>();
            List<Integer> childEnds = new ArrayList<>();
            List<Integer> ours = new ArrayList<>();
            int[] toChild = null;
            int[] fromChild = null;
            int[] stdinPipe = null;
            int[] stdoutPipe = null;
            int[] stderrPipe = null;
            try {
                if (childRead >= 0) {
                    toChild = pipe(name, ours, childEnds, true);
                    placements.put(childRead, toChild[0]);
                }
                if (childWrite >= 0) {
                    fromChild = pipe(name, ours, childEnds, false);
                    placements.put(childWrite, fromChild[1]);
                }
                stdinPipe = stdio(0, in, name, placements, devNull, ours, childEnds);
                stdoutPipe = stdio(1, out, name, placements, devNull, ours, childEnds);
                stderrPipe = stdio(2, err, name, placements, devNull, ours, childEnds);
                Spawner.Child child = Spawner.spawn(command, placements, devNull, environment);
                childEnds.forEach(Spawner::closeQuietly);
                childEnds.clear();
                String address = "pipe:?child=" + child.pid();
                Channel channel = toChild == null && fromChild == null ? null
                        : PipeChannel.of(address, fromChild == null ? -1 : fromChild[0],
                                toChild == null ? -1 : toChild[1], framed, maxMessageSize);
                return new ChildProcess(child, command, channel,
                        stdinPipe == null ? null : FdStreams.output(name + " stdin", stdinPipe[1]),
                        stdoutPipe == null ? null : FdStreams.input(name + " stdout", stdoutPipe[0]),
                        stderrPipe == null ? null : FdStreams.input(name + " stderr", stderrPipe[0]));
            } catch (IOException | RuntimeException e) {
                childEnds.forEach(Spawner::closeQuietly);
                ours.forEach(Spawner::closeQuietly);
                throw e;
            }
        }

        private static int[] pipe(String name, List<Integer> ours, List<Integer> childEnds, boolean childReads)
                throws IOException {
            int[] p = Spawner.pipe(name);
            ours.add(childReads ? p[1] : p[0]);
            childEnds.add(childReads ? p[0] : p[1]);
            return p;
        }

        private static int[] stdio(int fd, Stdio mode, String name, Map<Integer, Integer> placements,
                List<Integer> devNull, List<Integer> ours, List<Integer> childEnds) throws IOException {
            switch (mode) {
                case NULL:
                    devNull.add(fd);
                    return null;
                case PIPE:
                    int[] p = pipe(name, ours, childEnds, fd == 0);
                    placements.put(fd, fd == 0 ? p[0] : p[1]);
                    return p;
                default:
                    return null;
            }
        }
    }
}
