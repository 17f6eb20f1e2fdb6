package org.ipc4j.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipc bench}: cross-process round-trip latency and throughput, with baselines. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures round trips (ping-pong) between this process and a second JVM over the chosen"
                + " mechanisms and message sizes: latency percentiles (HdrHistogram) and throughput.",
            "Baselines measured in the same run: raw JDK NIO over loopback TCP and a Unix socket (jdk-nio-tcp,"
                + " jdk-nio-unix), Agrona one-to-one ring buffers in /dev/shm (agrona-shm) and, when gcc is present, C ping-pong between two processes over pipes and a"
                + " Unix socket pair (c-pipe, c-unix).",
            "Writes bench.csv, bench.json and bench.svg (a chart of p50/p99/p99.9 per mechanism) into --out and"
                + " prints a table (or JSON with --json). A progress line runs on standard error."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--mechanisms"}, split = ",", paramLabel = "NAME",
            description = "ipc4j mechanisms to measure (default: every available one): ${COMPLETION-CANDIDATES}",
            completionCandidates = DemoCommand.Names.class)
    List<String> mechanisms = new ArrayList<>();

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", description = "message sizes (default 64,4096;"
            + " --quick: 64)")
    List<Integer> sizes = new ArrayList<>();

    @Option(names = "--duration", converter = Util.DurationConverter.class, paramLabel = "TIME",
            description = "measuring time per mechanism and size (default 2s; --quick: 200 round trips)")
    Duration duration;

    @Option(names = "--quick", description = "a short run for CI: one size, 200 round trips each")
    boolean quick;

    @Option(names = "--out", defaultValue = "ipc-bench", paramLabel = "DIR",
            description = "directory for bench.csv, bench.json and bench.svg (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--no-baselines", description = "skip the JDK NIO and C baselines")
    boolean noBaselines;

    @Option(names = "--json", description = "print JSON instead of the table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = new ArrayList<>();
        for (String m : mechanisms.isEmpty() ? Mechanisms.ALL : mechanisms) {
            if (!Mechanisms.ALL.contains(m)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown mechanism '" + m
                        + "'; accepted: " + String.join(", ", Mechanisms.ALL));
            }
            if (!mechanisms.isEmpty() || Mechanisms.unavailable(m) == null) {
                chosen.add(m);
            }
        }
        List<Integer> sz = sizes.isEmpty() ? (quick ? List.of(64) : List.of(64, 4096)) : sizes;
        for (int s : sz) {
            if (s < 0 || s > 16 * 1024 * 1024) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sizes must be 0 to 16777216: " + s);
            }
        }
        Duration time = duration != null ? duration : Duration.ofSeconds(2);
        PrintWriter err = spec.commandLine().getErr();
        String unique = "ipc4j-bench-" + ProcessHandle.current().pid();
        List<Runner.Result> results = new ArrayList<>();
        Runner runner = new Runner(unique);
        int total = (chosen.size() + (noBaselines ? 0 : 5)) * sz.size();
        int step = 0;
        try (PeerLink peer = PeerLink.start(Duration.ofSeconds(30))) {
            for (int size : sz) {
                List<String> rows = new ArrayList<>(chosen);
                if (!noBaselines) {
                    rows.addAll(List.of("jdk-nio-tcp", "jdk-nio-unix", AgronaBaseline.NAME, "c-pipe", "c-unix"));
                }
                for (String m : rows) {
                    progress(err, ++step, total, m, size);
                    long count = quick ? 200 : calibrate(peer, runner, m, size, time);
                    long warmup = quick ? 50 : Math.min(2000, count / 10 + 50);
                    results.add(measure(peer, runner, m, warmup, count, size));
                }
            }
        } finally {
            runner.cleanUp();
            if (System.console() != null) {
                err.print("\r" + " ".repeat(70) + "\r");
                err.flush();
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("bench.csv"), csv(results));
        String jsonText = Util.json(Map.of("results", results.stream().map(Runner.Result::toMap)
                .collect(Collectors.toList()), "quick", quick, "javaVersion", System.getProperty("java.version")));
        Files.writeString(out.resolve("bench.json"), jsonText + "\n");
        Files.writeString(out.resolve("bench.svg"), Chart.svg(results));
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            o.println(jsonText);
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (Runner.Result r : results) {
                rows.add(List.of(r.mechanism(), Integer.toString(r.size()), Long.toString(r.messages()),
                        DemoCommand.micros(r.percentileMicros(50)), DemoCommand.micros(r.percentileMicros(99)),
                        DemoCommand.micros(r.percentileMicros(99.9)),
                        Double.isNaN(r.messagesPerSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", r.messagesPerSecond()),
                        r.passed() ? "ok" : r.status()));
            }
            o.print(Util.table(List.of("MECHANISM", "SIZE", "ROUNDTRIPS", "P50", "P99", "P99.9", "RT/S", "STATUS"), rows));
            o.println("wrote " + out.resolve("bench.csv") + ", " + out.resolve("bench.json") + ", " + out.resolve("bench.svg"));
        }
        o.flush();
        return results.stream().anyMatch(r -> r.status().startsWith("failed")) ? 1 : 0;
    }

    /** On a terminal one line rewritten in place; otherwise (a log, CI) one line per step. */
    private static void progress(PrintWriter err, int step, int total, String m, int size) {
        String line = "bench [" + step + "/" + total + "] " + m + " " + size + "B";
        if (System.console() != null) {
            err.print("\r" + String.format(Locale.ROOT, "%-70s", line));
        } else {
            err.println(line);
        }
        err.flush();
    }

    /**
     * Round trips that fill about {@code time}, estimated from three trial runs — 200 and 2,000 round
     * trips to warm the code up, then about a tenth of {@code time} (at least 100 ms) measured warm.
     */
    private long calibrate(PeerLink peer, Runner runner, String m, int size, Duration time) {
        long trips = 200;
        double perTrip = 0;
        long target = Math.max(100_000_000L, time.toNanos() / 10);
        for (int round = 0; round < 3; round++) {
            Runner.Result trial = measure(peer, runner, m, 20, trips, size);
            if (!trial.passed() || trial.elapsedNanos() <= 0) {
                return 200;
            }
            perTrip = (double) trial.elapsedNanos() / trips;
            trips = round == 0 ? 2000 : Math.max(200, Math.min(1_000_000, (long) (target / perTrip)));
        }
        return Math.max(200, Math.min(5_000_000, (long) (time.toNanos() / perTrip)));
    }

    private Runner.Result measure(PeerLink peer, Runner runner, String m, long warmup, long count, int size) {
        switch (m) {
            case "jdk-nio-tcp":
            case "jdk-nio-unix":
                return NioBaseline.run(peer, m, runner.dir(), warmup, count, size);
            case AgronaBaseline.NAME:
                return AgronaBaseline.run(peer, runner.dir(), warmup, count, size);
            case "c-pipe":
            case "c-unix":
                return cPingPong(runner.dir(), m, warmup, count, size);
            default:
                return runner.run(peer, m, warmup, count, size);
        }
    }

    /** Compiles pingpong.c with gcc (once) and runs it; unavailable without gcc. */
    private static Runner.Result cPingPong(Path dir, String m, long warmup, long count, int size) {
        try {
            Path exe = dir.resolve("pingpong");
            if (!Files.exists(exe)) {
                Path src = dir.resolve("pingpong.c");
                try (InputStream in = BenchCommand.class.getResourceAsStream("pingpong.c")) {
                    Files.write(src, in.readAllBytes());
                }
                Process gcc;
                try {
                    gcc = new ProcessBuilder("gcc", "-O2", "-o", exe.toString(), src.toString())
                            .redirectErrorStream(true).start();
                } catch (IOException e) {
                    return Runner.Result.unavailable(m, size, "gcc not found");
                }
                String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                    return Runner.Result.unavailable(m, size, "gcc failed: " + log.trim().replace('\n', ' '));
                }
            }
            Process p = new ProcessBuilder(exe.toString(), m.substring(2), Integer.toString(Math.max(1, size)),
                    Long.toString(warmup), Long.toString(count)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Histogram h = new Histogram(3_600_000_000_000L, 3);
            long elapsed = 0;
            try (var r = p.inputReader(StandardCharsets.US_ASCII)) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.startsWith("END ")) {
                        elapsed = Long.parseLong(l.substring(4).trim());
                    } else {
                        h.recordValue(Math.max(1, Long.parseLong(l.trim())));
                    }
                }
            }
            boolean ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0 && h.getTotalCount() == count;
            return new Runner.Result(m, "fork + " + (m.equals("c-pipe") ? "pipe(2)" : "socketpair(2)"), count,
                    Math.max(1, size), ok, ok ? "ok" : "failed: pingpong exited " + p.exitValue(), h, elapsed);
        } catch (IOException | RuntimeException e) {
            return new Runner.Result(m, "-", 0, size, false, "failed: " + Util.reason(e), null, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Runner.Result(m, "-", 0, size, false, "failed: interrupted", null, 0);
        }
    }

    static String csv(List<Runner.Result> results) {
        StringBuilder sb = new StringBuilder("mechanism,size,roundtrips,p50_us,p90_us,p99_us,p999_us,max_us,"
                + "roundtrips_per_s,mb_per_s,status\n");
        for (Runner.Result r : results) {
            Map<String, Object> m = r.toMap();
            sb.append(String.join(",", r.mechanism(), Integer.toString(r.size()), Long.toString(r.messages()),
                    num(m.get("p50us")), num(m.get("p90us")), num(m.get("p99us")), num(m.get("p999us")),
                    num(m.get("maxus")), num(m.get("msgPerSec")), num(m.get("mbPerSec")),
                    '"' + r.status().replace("\"", "'") + '"')).append('\n');
        }
        return sb.toString();
    }

    private static String num(Object o) {
        double d = ((Number) o).doubleValue();
        return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
    }

    /** Kept for JSON readers that want a map per row. */
    static Map<String, Object> row(Runner.Result r) {
        return new LinkedHashMap<>(r.toMap());
    }
}
