package org.ipc4j.tools;

/** Raw JDK NIO echo peers and clients: the benchmark's baseline. */
final class NioBaseline {
    private NioBaseline() {
    }

    static void echo(String kind, String address) {
        throw new UnsupportedOperationException("not yet: " + kind + " " + address);
    }
}
