package org.ipc4j.examples.market;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.examples.Jvm;

/**
 * The reader process: {@code MarketDataReader ADDRESS} connects to the publisher's shm channel, reads
 * ticks until end of stream, checks that sequence numbers have no gap, and prints the count and the
 * publish-to-read latency (both processes read the same monotonic clock).
 */
public final class MarketDataReader {
    private MarketDataReader() {
    }

    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        long expected = 0;
        long[] latencies = new long[1 << 20];
        int n = 0;
        try (Channel c = Ipc.connect(args[0])) {
            System.out.println("reader connected");
            System.out.flush();
            ByteBuffer tick = ByteBuffer.allocateDirect(MarketDataExample.TICK_SIZE);
            while (true) {
                tick.clear();
                int length = c.receive(tick, Duration.ofSeconds(30));
                long now = System.nanoTime();
                if (length < 0) {
                    break;
                }
                long seq = tick.getLong(0);
                if (seq != expected) {
                    System.out.println("reader: gap: expected seq " + expected + ", got " + seq);
                    System.exit(1);
                }
                expected++;
                if (n < latencies.length) {
                    latencies[n++] = now - tick.getLong(24);
                }
            }
        }
        Arrays.sort(latencies, 0, n);
        System.out.printf(Locale.ROOT, "reader: %d ticks in order; latency p50 %.1f us, p99 %.1f us%n", expected,
                n == 0 ? 0 : latencies[n / 2] / 1e3, n == 0 ? 0 : latencies[(int) (n * 0.99)] / 1e3);
    }
}
