package org.ipc4j.posix.internal;

/**
 * The {@link HotCalls#state()} of the thread that last made a channel direction's calls, kept while
 * the same thread calls again (no thread-local lookup per call). Used under that direction's lock.
 */
final class CallerState {
    private Thread thread;
    private Object state;

    /** The state for {@code caller}, the current thread. */
    Object of(Thread caller) {
        if (caller != thread) {
            state = HotCalls.state();
            thread = caller;
        }
        return state;
    }
}
