package org.ipc4j.tools;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipc demo}: every mechanism, between this process and a second one, verified. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a second process and moves real messages over every mechanism: pipe, FIFO, POSIX"
                + " queue, SysV queue, shared region, shm channel, shm queue, POSIX and SysV semaphore, signal,"
                + " TCP, UDP, Unix stream and Unix datagram. Each message is echoed back and checked with CRC32;"
                + " semaphores and signals carry no bytes, so their handoffs are counted.",
            "Prints one table (mechanism, address, messages, verified, round-trip p50/p99), removes every object"
                + " it made, and exits 0 only if every mechanism passed; a mechanism whose provider is missing shows"
                + " 'unavailable' with the reason and fails the run unless --skip-unavailable."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", defaultValue = "200", description = "round trips per mechanism (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--size", defaultValue = "64", description = "message size in bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = {"-m", "--mechanisms"}, split = ",", paramLabel = "NAME",
            description = "only these, comma-separated: ${COMPLETION-CANDIDATES}", completionCandidates = Names.class)
    List<String> mechanisms = new ArrayList<>();

    @Option(names = "--skip-unavailable", description = "do not fail for mechanisms whose provider is missing")
    boolean skipUnavailable;

    @Option(names = "--json", description = "print the results as JSON")
    boolean json;

    /** The mechanism names, for --help. */
    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(Mechanisms.ALL);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = mechanisms.isEmpty() ? Mechanisms.ALL : mechanisms;
        for (String m : chosen) {
            if (!Mechanisms.ALL.contains(m)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown mechanism '" + m
                        + "'; accepted: " + String.join(", ", Mechanisms.ALL));
            }
        }
        if (count < 1 || size < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--count must be >= 1 and --size >= 0: count="
                    + count + ", size=" + size);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String unique = "ipc4j-demo-" + ProcessHandle.current().pid();
        List<Runner.Result> results = new ArrayList<>();
        long started = System.nanoTime();
        Runner runner = new Runner(unique);
        try (PeerLink peer = PeerLink.start(Duration.ofSeconds(30))) {
            for (String m : chosen) {
                if (!json && System.console() != null) {
                    err.print("\r" + String.format(Locale.ROOT, "%-60s", "demo: " + m + " ..."));
                    err.flush();
                }
                results.add(runner.run(peer, m, Math.min(20, count), count, size));
            }
        } finally {
            runner.cleanUp();
            if (!json && System.console() != null) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
        List<String> leftBehind = IpcObjects.scan(List.of(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))))
                .stream().map(IpcObjects.Entry::name).filter(n -> n.contains(unique)).collect(Collectors.toList());
        if (java.nio.file.Files.exists(runner.dir())) {
            leftBehind.add(runner.dir().toString());
        }
        boolean ok = leftBehind.isEmpty() && results.stream().allMatch(r -> r.passed() || skipUnavailable && r.status().startsWith("unavailable"));
        if (json) {
            out.println(Util.json(java.util.Map.of("passed", ok, "leftBehind", leftBehind,
                    "results", results.stream().map(Runner.Result::toMap).collect(Collectors.toList()))));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Runner.Result r : results) {
                rows.add(List.of(Mechanisms.TITLES.get(r.mechanism()), r.address(), Long.toString(r.messages()),
                        r.passed() ? "yes" : r.status().startsWith("unavailable") ? "-" : "NO",
                        micros(r.percentileMicros(50)), micros(r.percentileMicros(99)),
                        r.passed() ? "" : r.status()));
            }
            out.print(Util.table(List.of("MECHANISM", "ADDRESS", "MESSAGES", "VERIFIED", "P50", "P99", "NOTE"), rows));
            long passed = results.stream().filter(Runner.Result::passed).count();
            out.printf(Locale.ROOT, "%d of %d mechanisms passed in %.1fs; %s%n", passed, results.size(),
                    (System.nanoTime() - started) / 1e9, leftBehind.isEmpty() ? "every object made was removed."
                            : "LEFT BEHIND: " + String.join(" ", leftBehind));
        }
        out.flush();
        return ok ? 0 : 1;
    }

    static String micros(double us) {
        if (Double.isNaN(us)) {
            return "-";
        }
        return us >= 1000 ? String.format(Locale.ROOT, "%.2fms", us / 1000) : String.format(Locale.ROOT, "%.1fus", us);
    }
}
