package org.ipc4j.testkit.leak;

import java.util.Objects;

/**
 * One mechanism a {@link LeakContract} checks: a {@link LeakCheck} and its cycle, optionally with a
 * resource that stays open around all the cycles (the listener of accept cycles). The resource is
 * opened before the warm-up and closed after the last snapshot.
 */
public final class LeakCase {
    /** Opens what the cycles share. */
    @FunctionalInterface
    public interface Opener<R extends AutoCloseable> {
        /** Opens the shared resource. */
        R open() throws Exception;
    }

    /** Makes the cycle over the shared resource. */
    @FunctionalInterface
    public interface CycleOver<R> {
        /** The cycle that uses {@code resource}. */
        LeakCycle cycle(R resource) throws Exception;
    }

    private final LeakCheck check;
    private final Verifier verifier;

    @FunctionalInterface
    private interface Verifier {
        LeakReport verify(LeakCheck check) throws Exception;
    }

    private LeakCase(LeakCheck check, Verifier verifier) {
        this.check = Objects.requireNonNull(check, "check");
        this.verifier = verifier;
    }

    /** A case whose cycle opens and closes everything it uses. */
    public static LeakCase of(LeakCheck check, LeakCycle cycle) {
        Objects.requireNonNull(cycle, "cycle");
        return new LeakCase(check, c -> c.assertNoLeak(cycle));
    }

    /** A case whose cycles share a resource, such as a listener that accepts once per cycle. */
    @SuppressWarnings("try")   // the resource is only held open around the cycles
    public static <R extends AutoCloseable> LeakCase around(LeakCheck check, Opener<R> opener, CycleOver<R> cycle) {
        return new LeakCase(check, c -> {
            try (R resource = opener.open()) {
                return c.assertNoLeak(cycle.cycle(resource));
            }
        });
    }

    /** The mechanism's name, the test's display name. */
    public String mechanism() {
        return check.mechanism();
    }

    /** The check run. */
    public LeakCheck check() {
        return check;
    }

    /**
     * Runs the cycles and fails if anything grew.
     *
     * @throws AssertionError with the report
     */
    public LeakReport verify() throws Exception {
        return verifier.verify(check);
    }

    @Override
    public String toString() {
        return check.toString();
    }
}
