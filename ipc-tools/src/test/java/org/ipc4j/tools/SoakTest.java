package org.ipc4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Every mechanism under load from several peer JVMs for a configurable time, run only with
 * {@code -Psoak} (see the module README): each worker thread drives its own peer JVM through every
 * mechanism, round after round, with checksummed round trips. At the end it reports, per mechanism,
 * the messages moved and the errors, and the descriptors, memory mappings and live heap of this JVM and of
 * each peer after the first third of the time and at the end. It fails on any error (a lost, duplicated
 * or damaged message is a checksum error) and on growth that a long-lived service could not live with.
 *
 * <p>Properties: {@code ipc.soak.duration} (default {@code 10m}), {@code ipc.soak.peers} (default 3),
 * {@code ipc.soak.messages} (round trips per mechanism and round, default 2,000).
 */
@EnabledIfSystemProperty(named = "ipc.soak", matches = "true", disabledReason = "a soak runs only with -Psoak")
class SoakTest {
    /** Mechanisms with process-wide state (a signal handler) run in one worker only. */
    private static final List<String> FIRST_WORKER_ONLY = List.of("signal");
    /** Descriptors a process may gain between the first round and the end (pools, lazily opened files). */
    private static final int FD_SLACK = 32;
    /** Heap or direct memory this JVM may gain beyond the growth factor (histograms, buffers in flight). */
    private static final long MEMORY_SLACK = 32L << 20;
    /** Memory mappings a process may gain (JIT code cache, thread stacks). */
    private static final int MAPS_SLACK = 64;
    /** Live heap (after a full GC) a process may gain once warm, as a factor, plus {@link #MEMORY_SLACK}. */
    private static final double HEAP_GROWTH = 1.5;

    private final Map<String, LongAdder> messages = new ConcurrentHashMap<>();
    private final Map<String, List<String>> errors = new ConcurrentHashMap<>();

    @Test
    void everyMechanismUnderLoadFromSeveralPeersLosesNothingAndDoesNotGrow() throws Exception {
        Duration duration = Util.duration(System.getProperty("ipc.soak.duration", "10m"));
        int peers = Integer.getInteger("ipc.soak.peers", 3);
        long perRound = Long.getLong("ipc.soak.messages", 2_000);
        long deadline = System.nanoTime() + duration.toNanos();
        long self = ProcessHandle.current().pid();
        Usage selfFirst = null;

        List<PeerLink> links = new ArrayList<>();
        List<Runner> runners = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(peers);
        try {
            for (int i = 0; i < peers; i++) {
                links.add(PeerLink.start(Duration.ofSeconds(60)));
                runners.add(new Runner("ipc4j-soak-" + self + "-" + i));
            }
            // rounds for a third of the time (the JIT and the heaps settle), the baselines, then rounds
            // until the deadline
            Usage[] peerFirst = new Usage[peers];
            long warm = System.nanoTime() + duration.toNanos() / 3;
            int rounds = 0;
            do {
                runRound(workers, links, runners, perRound);
                rounds++;
            } while (System.nanoTime() < warm);
            selfFirst = Usage.of(self);
            long[] selfMemoryFirst = javaMemory();
            for (int i = 0; i < peers; i++) {
                peerFirst[i] = Usage.of(links.get(i).pid());
            }
            while (System.nanoTime() < deadline) {
                runRound(workers, links, runners, perRound);
                rounds++;
            }
            Usage selfEnd = Usage.of(self);
            long[] selfMemoryEnd = javaMemory();
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "soak: %s, %d peer JVMs, %d rounds of %d round trips per mechanism%n", duration, peers, rounds, perRound));
            for (Map.Entry<String, LongAdder> e : new TreeMap<>(messages).entrySet()) {
                report.append(String.format(Locale.ROOT, "  %-12s %,14d round trips  %d errors%n", e.getKey(),
                        e.getValue().sum(), errors.getOrDefault(e.getKey(), List.of()).size()));
            }
            List<String> growth = new ArrayList<>();
            report.append(String.format(Locale.ROOT, "  this JVM     fds %d -> %d, mappings %d -> %d, rss %,d -> %,d KiB%n",
                    selfFirst.fds, selfEnd.fds, selfFirst.maps, selfEnd.maps, selfFirst.rssKib, selfEnd.rssKib));
            report.append(String.format(Locale.ROOT, "  this JVM     heap after GC %,d -> %,d KiB, direct buffers %,d -> %,d KiB%n",
                    selfMemoryFirst[0] / 1024, selfMemoryEnd[0] / 1024, selfMemoryFirst[1] / 1024, selfMemoryEnd[1] / 1024));
            selfFirst.checkDescriptorsAndMappings("this JVM", selfEnd, growth);
            if (selfMemoryEnd[0] > selfMemoryFirst[0] * HEAP_GROWTH + MEMORY_SLACK) {
                growth.add("this JVM heap after GC " + selfMemoryFirst[0] + " -> " + selfMemoryEnd[0] + " bytes");
            }
            if (selfMemoryEnd[1] > selfMemoryFirst[1] + MEMORY_SLACK) {
                growth.add("this JVM direct buffers " + selfMemoryFirst[1] + " -> " + selfMemoryEnd[1] + " bytes");
            }
            for (int i = 0; i < peers; i++) {
                Usage end = Usage.of(links.get(i).pid());
                report.append(String.format(Locale.ROOT, "  peer %d       fds %d -> %d, mappings %d -> %d, rss %,d -> %,d KiB, heap after GC %,d -> %,d KiB%n",
                        i, peerFirst[i].fds, end.fds, peerFirst[i].maps, end.maps, peerFirst[i].rssKib, end.rssKib,
                        peerFirst[i].heapKib, end.heapKib));
                peerFirst[i].checkGrowth("peer " + i, end, growth);
            }
            System.out.print(report);
            assertEquals(Map.of(), errors, "errors during the soak:\n" + report);
            assertTrue(growth.isEmpty(), "growth during the soak: " + growth + "\n" + report);
        } finally {
            workers.shutdownNow();
            links.forEach(PeerLink::close);
            runners.forEach(Runner::cleanUp);
        }
    }

    private void runRound(ExecutorService workers, List<PeerLink> links, List<Runner> runners, long perRound)
            throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            PeerLink link = links.get(i);
            Runner runner = runners.get(i);
            boolean first = i == 0;
            done.add(workers.submit(() -> {
                for (String m : Mechanisms.ALL) {
                    if (!first && FIRST_WORKER_ONLY.contains(m)) {
                        continue;
                    }
                    Runner.Result r = runner.run(link, m, 0, perRound, 64);
                    messages.computeIfAbsent(m, k -> new LongAdder()).add(r.messages());
                    if (!r.passed()) {
                        errors.computeIfAbsent(m, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r.status());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    /**
     * This JVM's heap in use after a full collection and its direct-buffer memory in bytes: its resident
     * size says little, as the heap expands towards its limit long before it is needed.
     */
    private static long[] javaMemory() {
        System.gc();
        long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
        return new long[] {heap, direct};
    }

    /** A process's open descriptors, memory mappings and resident memory. */
    private record Usage(long fds, long maps, long rssKib, long heapKib) {
        static Usage of(long pid) throws IOException {
            long fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = s.count();
            }
            long rss = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1);
            long maps = Files.readAllLines(Path.of("/proc/" + pid + "/maps")).size();
            return new Usage(fds, maps, rss, heapAfterGcKib(pid));
        }

        /**
         * The heap a JVM uses right after a full collection, from {@code jcmd} ({@code GC.run}, then
         * {@code GC.heap_info}: the sum of its "total …K, used …K" lines): resident size says little,
         * as a heap expands towards its limit long before it is needed.
         */
        static long heapAfterGcKib(long pid) throws IOException {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            run(jcmd, Long.toString(pid), "GC.run");
            long used = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K")
                    .matcher(run(jcmd, Long.toString(pid), "GC.heap_info"));
            while (m.find()) {
                used += Long.parseLong(m.group(1));
            }
            return used;
        }

        private static String run(String... command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                if (p.waitFor() != 0) {
                    throw new IOException(String.join(" ", command) + " failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return out;
        }

        void checkGrowth(String who, Usage end, List<String> growth) {
            checkDescriptorsAndMappings(who, end, growth);
            if (end.heapKib > heapKib * HEAP_GROWTH + MEMORY_SLACK / 1024) {
                growth.add(who + " heap after GC " + heapKib + " -> " + end.heapKib + " KiB");
            }
        }

        void checkDescriptorsAndMappings(String who, Usage end, List<String> growth) {
            if (end.fds > fds + FD_SLACK) {
                growth.add(who + " descriptors " + fds + " -> " + end.fds);
            }
            if (end.maps > maps + MAPS_SLACK) {
                growth.add(who + " memory mappings " + maps + " -> " + end.maps);
            }
        }
    }
}
