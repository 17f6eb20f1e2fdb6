package org.ipc4j.shm;

import org.ipc4j.testkit.PeerJvm;

/** Peer JVM builders with Chronicle's load-time log quieted. */
final class Peers {
    private Peers() {
    }

    static PeerJvm.Builder of(Class<?> main, String... args) {
        return PeerJvm.builder(main).jvmFlags("-Dorg.slf4j.simpleLogger.log.net.openhft=off").args(args);
    }
}
