package org.ipc4j.examples.market;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.examples.Jvm;

/**
 * A market-data style publisher over a shared-memory channel: this process listens on
 * {@code shm:/…}, starts a {@link MarketDataReader} in another JVM, and publishes ticks of 32 bytes
 * (sequence, instrument id, price in ticks, publish time) as fast as the reader takes them; the
 * ring's back-pressure keeps nothing from being lost. {@code MarketDataExample [TICKS]}.
 */
public final class MarketDataExample {
    /** seq(8) instrument(8) price(8) publishNanos(8). */
    static final int TICK_SIZE = 32;

    private MarketDataExample() {
    }

    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        System.exit(run(args.length > 0 ? Integer.parseInt(args[0]) : 100_000));
    }

    /** Runs it; 0 if the reader got every tick in order. */
    public static int run(int ticks) throws Exception {
        String address = "shm:/ipc4j-example-ticks-" + ProcessHandle.current().pid() + "?create";
        Process reader = null;
        try (ChannelListener listener = Ipc.listen(address)) {
            reader = Jvm.start(MarketDataReader.class, listener.address());
            BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
            try (Channel channel = listener.accept(Duration.ofSeconds(60))) {
                System.out.println("publisher: " + out.readLine() + " on " + listener.address());
                ByteBuffer tick = ByteBuffer.allocateDirect(TICK_SIZE);
                long price = 100_000;
                long start = System.nanoTime();
                for (long seq = 0; seq < ticks; seq++) {
                    price += (seq * 7919 % 11) - 5;
                    tick.clear();
                    tick.putLong(seq).putLong(seq % 16).putLong(price).putLong(System.nanoTime()).flip();
                    channel.send(tick, Duration.ofSeconds(30));
                }
                System.out.printf("publisher: %d ticks in %.1f ms%n", ticks, (System.nanoTime() - start) / 1e6);
            }
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                System.out.println(l);
            }
            boolean ok = reader.waitFor(60, TimeUnit.SECONDS) && reader.exitValue() == 0;
            return ok ? 0 : 1;
        } finally {
            if (reader != null) {
                reader.destroyForcibly();
            }
        }
    }
}
