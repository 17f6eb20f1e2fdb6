package org.ipc4j.testkit.leak;

/** One open/use/close cycle of a mechanism; {@code index} counts from 0 (negative during warm-up). */
@FunctionalInterface
public interface LeakCycle {
    /** Opens, uses and closes the mechanism once; everything it opens must be closed when it returns. */
    void run(int index) throws Exception;
}
