package org.ipc4j.shm.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settings applied once before Chronicle's classes load: analytics off (the artifact is also
 * excluded from our dependencies), and two load-time complaints silenced that concern features
 * ipc4j never uses: the cleaner warning (printed through java.util.logging; ByteBuffer cleaning),
 * and the ERROR line "Chronicle products may require command line arguments..." that
 * {@code NativeBytesStore}'s class initialiser logs through SLF4J when it cannot open
 * {@code java.lang.reflect} (ipc4j maps its files itself and needs no JVM flags). The second is
 * turned off for slf4j-simple by its per-logger system property, and only if that is unset; other
 * SLF4J backends are configured by their users (logger
 * {@code net.openhft.chronicle.core.internal.ClassUtil}).
 */
final class ChronicleSetup {
    /** Held so java.util.logging keeps the level we set. */
    private static final Logger CLEANER_LOGGER = Logger.getLogger(
            "net.openhft.chronicle.core.internal.cleaner.ReflectionBasedByteBufferCleanerService");

    /** slf4j-simple's level for the logger of Chronicle's reflective-access ERROR line. */
    static final String SIMPLE_LOGGER_ACCESS_ERROR = "org.slf4j.simpleLogger.log.net.openhft.chronicle.core.internal.ClassUtil";

    static {
        if (System.getProperty("chronicle.analytics.disable") == null) {
            System.setProperty("chronicle.analytics.disable", "true");
        }
        if (CLEANER_LOGGER.getLevel() == null) {
            CLEANER_LOGGER.setLevel(Level.SEVERE);
        }
        if (System.getProperty(SIMPLE_LOGGER_ACCESS_ERROR) == null) {
            System.setProperty(SIMPLE_LOGGER_ACCESS_ERROR, "off");
        }
    }

    private ChronicleSetup() {
    }

    static void init() {
        // the static initialiser did the work
    }
}
