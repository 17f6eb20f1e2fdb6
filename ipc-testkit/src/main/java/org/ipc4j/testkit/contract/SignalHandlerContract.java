package org.ipc4j.testkit.contract;

import org.ipc4j.SignalService;

/**
 * Behaviour every {@link SignalService} must show: handlers run on delivery in this JVM and in a
 * peer JVM, closing a registration restores what was there, refused signals are refused.
 * Extend it and implement {@link #signals()}.
 */
public abstract class SignalHandlerContract {

    /** For subclasses: one per backend under test. */
    protected SignalHandlerContract() {
    }


    /** The service under test; a peer JVM gets its own through {@link org.ipc4j.Ipc#signals()}. */
    protected abstract SignalService signals();

    /** False if signals cannot reach another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }
}
