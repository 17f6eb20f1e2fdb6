package org.ipc4j.testkit.leak;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a mechanism's open/use/close {@link LeakCycle cycle} many times and reports what the process
 * holds afterwards that it did not hold before: descriptors, mappings, threads and named objects
 * (see {@link ResourceSnapshot}).
 *
 * <pre>{@code
 * LeakCheck.of("tcp accept").watching(dir).cycles(10_000).assertNoLeak(i -> {
 *     try (Channel c = Ipc.connect(listener.address()); Channel s = listener.accept(T)) { ... }
 * });
 * }</pre>
 *
 * <p>First {@link #warmUp(int)} cycles run uncounted (class loading, lazily started pollers and
 * native libraries), then the "before" snapshot, then {@link #cycles(int)} cycles, then "after".
 * Resources released asynchronously (a thread that is ending) get up to {@link #settle(Duration)}:
 * the check re-takes the snapshot until it is clean or that time is up. Nothing is garbage
 * collected on purpose: a resource only the collector frees is a leak for a busy service.
 * Instances are immutable; each setter returns a copy.
 */
public final class LeakCheck {
    /** The default number of counted cycles. */
    public static final int DEFAULT_CYCLES = 10_000;

    private final String mechanism;
    private final int cycles;
    private final int warmUp;
    private final int mappingSlack;
    private final Duration settle;
    private final LeakScope scope;

    private LeakCheck(String mechanism, int cycles, int warmUp, int mappingSlack, Duration settle, LeakScope scope) {
        if (cycles < 1 || warmUp < 0 || mappingSlack < 0) {
            throw new IllegalArgumentException("cycles must be >= 1, warmUp and mappingSlack >= 0: cycles=" + cycles
                    + " warmUp=" + warmUp + " mappingSlack=" + mappingSlack);
        }
        this.mechanism = mechanism;
        this.cycles = cycles;
        this.warmUp = warmUp;
        this.mappingSlack = mappingSlack;
        this.settle = settle;
        this.scope = scope;
    }

    /** A check of {@code mechanism} (a name for the report) with the defaults: 10,000 cycles, 200 warm-up, mapping slack 128, settle 5 s. */
    public static LeakCheck of(String mechanism) {
        return new LeakCheck(mechanism, DEFAULT_CYCLES, 200, 128, Duration.ofSeconds(5), LeakScope.ofThisProcess());
    }

    /** Counted cycles; use fewer than the default only for a cycle that is inherently slow, and say why. */
    public LeakCheck cycles(int count) {
        return new LeakCheck(mechanism, count, warmUp, mappingSlack, settle, scope);
    }

    /** Uncounted cycles run before the "before" snapshot. */
    public LeakCheck warmUp(int count) {
        return new LeakCheck(mechanism, cycles, count, mappingSlack, settle, scope);
    }

    /** How many mappings the count may grow by (the JVM's own heap and code cache move it a little). */
    public LeakCheck mappingSlack(int slack) {
        return new LeakCheck(mechanism, cycles, warmUp, slack, settle, scope);
    }

    /** How long asynchronous releases may take after the last cycle. */
    public LeakCheck settle(Duration time) {
        return new LeakCheck(mechanism, cycles, warmUp, mappingSlack, time, scope);
    }

    /** The scope of shared namespaces to compare. */
    public LeakCheck scope(LeakScope newScope) {
        return new LeakCheck(mechanism, cycles, warmUp, mappingSlack, settle, newScope);
    }

    /** Shorthand for {@code scope(scope().watching(directory))}. */
    public LeakCheck watching(java.nio.file.Path directory) {
        return scope(scope.watching(directory));
    }

    /** Shorthand for {@code scope(scope().withSysvKey(key))}. */
    public LeakCheck sysvKey(int key) {
        return scope(scope.withSysvKey(key));
    }

    /** The mechanism's name. */
    public String mechanism() {
        return mechanism;
    }

    /** The counted cycles. */
    public int cycles() {
        return cycles;
    }

    /** The scope compared. */
    public LeakScope scope() {
        return scope;
    }

    /** Runs the cycles and returns what grew; never fails on a leak itself. */
    public LeakReport measure(LeakCycle cycle) throws Exception {
        for (int i = -warmUp; i < 0; i++) {
            cycle.run(i);
        }
        ResourceSnapshot before = ResourceSnapshot.take(scope);
        for (int i = 0; i < cycles; i++) {
            cycle.run(i);
        }
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            LeakReport report = LeakReport.compare(mechanism, cycles, before, ResourceSnapshot.take(scope),
                    mappingSlack);
            if (report.clean() || System.nanoTime() - deadline >= 0) {
                return report;
            }
            LockSupport.parkNanos(20_000_000);   // polling the condition; a thread or descriptor may still be ending
        }
    }

    /**
     * Runs the cycles and fails with the report if anything grew.
     *
     * @return the (clean) report, for logging
     * @throws AssertionError naming each resource that grew and what appeared
     */
    public LeakReport assertNoLeak(LeakCycle cycle) throws Exception {
        LeakReport report = measure(cycle);
        if (!report.clean()) {
            throw new AssertionError(report.toString());
        }
        System.out.println("[leak] " + report);
        return report;
    }

    @Override
    public String toString() {
        return "LeakCheck[" + mechanism + ", cycles=" + cycles + ", warmUp=" + warmUp + ", " + scope + "]";
    }
}
