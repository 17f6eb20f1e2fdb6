package org.ipc4j.testkit.broken.queue;

import java.util.Arrays;

/** The one thing a broken queue backend gets wrong, and the scheme that serves it. */
public enum QueueFault {
    /** Nothing: the wrapper alone, to show the contract passes on it. */
    NONE("queue-intact"),
    /** Sends every message with priority 0, whatever was asked, so priority order is lost. */
    IGNORES_PRIORITY("queue-nopriority"),
    /** Silently drops every 997th message a handle sends. */
    DROPS_A_MESSAGE("queue-dropping");

    /** Every this many sends on one handle, {@link #DROPS_A_MESSAGE} drops one. */
    public static final int DROP_EVERY = 997;

    /** The address scheme of this backend. */
    public final String scheme;

    QueueFault(String scheme) {
        this.scheme = scheme;
    }

    /** The fault served under {@code scheme}. */
    public static QueueFault of(String scheme) {
        return Arrays.stream(values()).filter(f -> f.scheme.equals(scheme)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broken queue has scheme " + scheme));
    }
}
