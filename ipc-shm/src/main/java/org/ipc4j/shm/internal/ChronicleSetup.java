package org.ipc4j.shm.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settings applied once before Chronicle's classes load: analytics off (the artifact is also
 * excluded from our dependencies), and its load-time cleaner warning (printed through
 * java.util.logging; it concerns ByteBuffer cleaning, which we never use) silenced.
 */
final class ChronicleSetup {
    /** Held so java.util.logging keeps the level we set. */
    private static final Logger CLEANER_LOGGER = Logger.getLogger(
            "net.openhft.chronicle.core.internal.cleaner.ReflectionBasedByteBufferCleanerService");

    static {
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        if (CLEANER_LOGGER.getLevel() == null) {
            CLEANER_LOGGER.setLevel(Level.SEVERE);
        }
    }

    private ChronicleSetup() {
    }

    static void init() {
        // the static initialiser did the work
    }
}
