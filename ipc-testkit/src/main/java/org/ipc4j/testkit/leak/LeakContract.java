package org.ipc4j.testkit.leak;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The leak suite every backend runs: for each mechanism it offers, {@link LeakCheck#DEFAULT_CYCLES}
 * open/use/close cycles (fewer only where a cycle is inherently slow, said in the case) must leave
 * {@code /proc/self/fd}, {@code /proc/self/maps}, the live threads and the objects in {@code /dev/shm},
 * {@code /dev/mqueue}, {@code /proc/sysvipc} and the FIFO and socket directories as they were.
 *
 * <p>Extend it and list the mechanisms with addresses; {@link LeakCycles} has the cycle of each API
 * type:
 * <pre>{@code
 * class PosixLeakTest extends LeakContract {
 *     protected List<LeakCase> leakCases() {
 *         String mq = "mq:/" + unique + "?create&capacity=2&maxMessageSize=16";
 *         return List.of(LeakCase.of(LeakCheck.of("mq"), LeakCycles.queue(mq)), ...);
 *     }
 * }
 * }</pre>
 * Each case shows as one test named after its mechanism; a failure lists what grew.
 */
public abstract class LeakContract {
    /** For subclasses: one per backend. */
    protected LeakContract() {
    }

    /** The mechanisms of the backend under test. */
    protected abstract List<LeakCase> leakCases() throws Exception;

    /** One test per mechanism. */
    @TestFactory
    Stream<DynamicTest> everyMechanismLeavesNothingBehind() throws Exception {
        return leakCases().stream().map(c -> DynamicTest.dynamicTest(c.mechanism(), c::verify));
    }
}
