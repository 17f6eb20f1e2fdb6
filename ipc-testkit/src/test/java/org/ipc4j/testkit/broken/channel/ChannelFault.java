package org.ipc4j.testkit.broken.channel;

import java.util.Arrays;

/** The one thing a broken channel backend gets wrong, and its scheme. */
enum ChannelFault {
    /** Nothing: the wrapper itself is correct. */
    NONE("chan-intact"),
    /** Each channel silently drops the third message it is asked to send. */
    DROP("chan-dropping"),
    /** Each channel sends its third message before its second. */
    REORDER("chan-reordering"),
    /** A timed receive, and a timed send (other than a poll), never give up: they block like untimed ones. */
    NO_TIMEOUT("chan-notimeout"),
    /** A timed receive gives up three seconds after its timeout. */
    LATE_TIMEOUT("chan-latetimeout"),
    /** close() marks the channel closed but does not wake a blocked receive. */
    IGNORE_CLOSE("chan-ignoresclose"),
    /** Not a fault: a correct one-way channel; the accepted end receives, the connecting end sends. */
    ONE_WAY_IN("chan-oneway-in"),
    /** Not a fault: a correct one-way channel; the accepted end sends, the connecting end receives. */
    ONE_WAY_OUT("chan-oneway-out"),
    /** Not a fault: a channel that declares neither RELIABLE nor ORDERED (like UDP), though it is both. */
    UNDECLARED("chan-undeclared");

    final String scheme;

    ChannelFault(String scheme) {
        this.scheme = scheme;
    }

    static ChannelFault of(String scheme) {
        return Arrays.stream(values()).filter(f -> f.scheme.equals(scheme)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel fault for scheme " + scheme));
    }
}
