package org.ipc4j.testkit.broken.signal;

/** The one thing a broken signal service gets wrong. */
public enum SignalFault {
    /** Nothing: the wrapper alone, to show the contract passes on it. */
    NONE,
    /** Closing a registration does not remove its handler. */
    CLOSE_DOES_NOT_RESTORE,
    /** Handlers for refused signals (QUIT, SEGV, KILL...) are accepted; they are never installed. */
    ACCEPTS_RESERVED
}
