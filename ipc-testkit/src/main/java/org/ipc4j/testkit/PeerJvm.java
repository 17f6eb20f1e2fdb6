package org.ipc4j.testkit;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second JVM on this JVM's class path, running a main class under {@link PeerMain}.
 *
 * <pre>{@code
 * try (PeerJvm peer = PeerJvm.builder(EchoPeer.class).args("unix:/tmp/x.sock").start()) {
 *     peer.awaitReady(Duration.ofSeconds(20));
 *     // ... talk to it ...
 *     peer.assertExit(0, Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>The peer never outlives the test run: {@link #close()} kills it and its descendants; a shutdown
 * hook kills peers left alive when this JVM exits; and if this JVM is killed outright, the peer sees
 * end of its standard input and {@link PeerMain} halts it.
 */
public final class PeerJvm extends PeerProcess {

    /** JVM flags every peer gets: the same native-access setting as the tests, a small heap and GC. */
    public static final List<String> DEFAULT_JVM_FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");

    private PeerJvm(String name, Process process) {
        super(name, process);
    }

    /** Starts building a peer that runs {@code mainClass}'s {@code main(String[])}. */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass);
    }

    /**
     * The command line that runs {@code mainClass} under {@link PeerMain} in a JVM like this one, for
     * callers that start the process by other means (a {@code posix_spawn} with inherited pipes).
     */
    public static List<String> javaCommand(Class<?> mainClass, List<String> jvmFlags, List<String> args) {
        return javaCommand(mainClass, jvmFlags, args, System.getProperty("java.class.path"));
    }

    static List<String> javaCommand(Class<?> mainClass, List<String> jvmFlags, List<String> args, String classPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(DEFAULT_JVM_FLAGS);
        for (String p : List.of("ipc.provider", "org.slf4j.simpleLogger.defaultLogLevel")) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(PeerMain.class.getName());
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** This JVM's own pid, for peers that must signal or check the parent. */
    public static long parentPid() {
        return ProcessHandle.current().pid();
    }

    /** Builds and starts a {@link PeerJvm}. */
    public static final class Builder {
        private final Class<?> mainClass;
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmFlags = new ArrayList<>();
        private final List<String> wrapper = new ArrayList<>();
        private final Map<String, String> environment = new HashMap<>();
        private String name;
        private String classPath = System.getProperty("java.class.path");

        private Builder(Class<?> mainClass) {
            this.mainClass = mainClass;
            this.name = mainClass.getSimpleName();
        }

        /** Arguments passed to the main class. */
        public Builder args(String... values) {
            args.addAll(Arrays.asList(values));
            return this;
        }

        /** Arguments passed to the main class. */
        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        /** Extra JVM flags, such as {@code -Dkey=value}. */
        public Builder jvmFlags(String... values) {
            jvmFlags.addAll(Arrays.asList(values));
            return this;
        }

        /**
         * A command the java command is run through, such as {@code setpriv --reuid=65534 ...},
         * {@code ip netns exec ns1} or {@code taskset -c 0}.
         */
        public Builder wrapper(String... command) {
            wrapper.addAll(Arrays.asList(command));
            return this;
        }

        /** The log prefix name; the main class's simple name by default. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        /** A class path other than this JVM's (for a peer run as another user, from a readable copy). */
        public Builder classPath(String value) {
            classPath = value;
            return this;
        }

        /** An environment variable for the peer. */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** The full command line {@link #start()} runs, wrapper first. */
        public List<String> command() {
            List<String> cmd = new ArrayList<>(wrapper);
            cmd.addAll(javaCommand(mainClass, jvmFlags, args, classPath));
            return cmd;
        }

        /** The log prefix name. */
        public String name() {
            return name;
        }

        /** Starts the peer; it is running (not necessarily ready) when this returns. */
        public PeerJvm start() throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command());
            pb.environment().putAll(environment);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            return new PeerJvm(name, pb.start());
        }
    }
}
