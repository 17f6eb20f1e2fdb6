package org.ipc4j.testkit.contract;

import java.io.IOException;

/**
 * Behaviour every {@link org.ipc4j.Channel} backend must show, in-process and against a peer JVM.
 * Extend it and implement {@link #newFixture(String)}.
 */
public abstract class ChannelContract {

    /** For subclasses: one per backend under test. */
    protected ChannelContract() {
    }


    /**
     * A fresh pair of ends for one test.
     *
     * @param uniqueName unique per test and per run, safe in file names and IPC names (letters,
     *     digits, '-'); use it to build the address
     */
    protected abstract ChannelFixture newFixture(String uniqueName) throws IOException;

    /** False if the two ends cannot live in separate processes (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }
}
