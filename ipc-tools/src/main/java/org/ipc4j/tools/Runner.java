package org.ipc4j.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.HdrHistogram.Histogram;

/** Runs round trips over one mechanism between this process and a {@link PeerLink}. */
final class Runner {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    /** What one mechanism did. */
    record Result(String mechanism, String address, long messages, int size, boolean verified, String status,
                  Histogram histogram, long elapsedNanos) {
        boolean passed() {
            return verified && status.equals("ok");
        }

        double percentileMicros(double p) {
            return histogram == null || histogram.getTotalCount() == 0 ? Double.NaN
                    : histogram.getValueAtPercentile(p) / 1000.0;
        }

        double messagesPerSecond() {
            return elapsedNanos <= 0 ? Double.NaN : messages * 1e9 / elapsedNanos;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mechanism", mechanism);
            m.put("address", address);
            m.put("messages", messages);
            m.put("size", size);
            m.put("verified", verified);
            m.put("status", status);
            m.put("p50us", percentileMicros(50));
            m.put("p90us", percentileMicros(90));
            m.put("p99us", percentileMicros(99));
            m.put("p999us", percentileMicros(99.9));
            m.put("maxus", histogram == null || histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0);
            m.put("msgPerSec", messagesPerSecond());
            m.put("mbPerSec", messagesPerSecond() * size / 1e6);
            return m;
        }

        static Result unavailable(String mechanism, int size, String reason) {
            return new Result(mechanism, "-", 0, size, false, "unavailable: " + reason, null, 0);
        }
    }

    private final String unique;
    private final Path dir;

    /** Objects get names starting with {@code unique}; files go in a fresh directory under /tmp. */
    Runner(String unique) throws IOException {
        this.unique = unique;
        Path d = Path.of(System.getProperty("java.io.tmpdir"), unique);
        for (int i = 1; Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            d = Path.of(System.getProperty("java.io.tmpdir"), unique + "." + i);
        }
        this.dir = Files.createDirectory(d, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    }

    /** The private directory for files (sockets, FIFOs). */
    Path dir() {
        return dir;
    }

    /** Removes the file directory (everything in it was already removed by the mechanisms). */
    void cleanUp() {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // best effort
        }
    }

    /** {@code warmup} untimed round trips then {@code count} timed ones of {@code size} bytes. */
    Result run(PeerLink peer, String mechanism, long warmup, long count, int size) {
        String reason = Mechanisms.unavailable(mechanism);
        if (reason != null) {
            return Result.unavailable(mechanism, size, reason);
        }
        if (mechanism.equals("pipe")) {
            return PipeMechanism.run(warmup, count, size);
        }
        String address = "-";
        ExecutorService opener = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ipc-open");
            t.setDaemon(true);
            return t;
        });
        try (Mechanisms.Parent parent = Mechanisms.parent(mechanism, unique + "-" + mechanism, dir, peer.pid())) {
            List<String> args = parent.setUp();
            address = parent.address();
            int payload = parent.carriesData() ? Math.min(size, parent.maxPayload()) : 0;
            List<String> fields = new ArrayList<>(List.of("RUN", mechanism, Long.toString(warmup + count),
                    Integer.toString(payload)));
            fields.addAll(args);
            peer.send(fields.toArray(new String[0]));
            Future<Endpoint> opening = opener.submit(parent::open);
            peer.await("READY", STEP_TIMEOUT);
            Endpoint endpoint;
            try {
                endpoint = opening.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
            try {
                return exchange(peer, mechanism, address, endpoint, warmup, count, payload);
            } finally {
                endpoint.close();
            }
        } catch (Exception | Error e) {
            return new Result(mechanism, address, 0, size, false, "failed: " + Util.reason(e), null, 0);
        } finally {
            opener.shutdownNow();
        }
    }

    private Result exchange(PeerLink peer, String mechanism, String address, Endpoint endpoint, long warmup,
                            long count, int payload) throws IOException {
        SplittableRandom random = new SplittableRandom(unique.hashCode());
        ByteBuffer out = ByteBuffer.allocateDirect(Math.max(payload, 1));
        ByteBuffer in = ByteBuffer.allocateDirect(Math.max(payload, 1) + 64);
        byte[] data = new byte[payload];
        byte[] back = new byte[payload];
        CRC32 sent = new CRC32();
        CRC32 received = new CRC32();
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        boolean same = true;
        long start = 0;
        for (long i = 0; i < warmup + count; i++) {
            if (i == warmup) {
                start = System.nanoTime();
            }
            for (int j = 0; j < payload; j++) {
                data[j] = (byte) random.nextInt(256);
            }
            if (payload >= 8) {
                ByteBuffer.wrap(data).putLong(0, i);
            }
            sent.update(data);
            out.clear();
            out.put(data).flip();
            in.clear();
            long t0 = System.nanoTime();
            endpoint.send(out, STEP_TIMEOUT);
            int n = endpoint.receive(in, STEP_TIMEOUT);
            long t1 = System.nanoTime();
            if (n < 0) {
                throw new java.io.EOFException("end of stream after " + i + " round trips");
            }
            if (i >= warmup) {
                histogram.recordValue(Math.max(1, t1 - t0));
            }
            if (n != payload) {
                same = false;
                continue;
            }
            in.flip().get(back);
            received.update(back);
        }
        long elapsed = System.nanoTime() - start;
        String done = peer.await("DONE", STEP_TIMEOUT);
        String[] f = done.split("\t");
        boolean peerCount = f.length >= 3 && Long.parseLong(f[1]) == warmup + count;
        boolean peerCrc = f.length >= 3 && Long.parseLong(f[2]) == sent.getValue();
        boolean verified = same && peerCount && peerCrc && received.getValue() == sent.getValue();
        String status = verified ? "ok" : "checksum mismatch: sent crc32=" + Long.toHexString(sent.getValue())
                + ", peer got " + (f.length >= 3 ? Long.toHexString(Long.parseLong(f[2])) : "?") + ", echoed "
                + Long.toHexString(received.getValue());
        return new Result(mechanism, address, count, payload, verified, status, histogram, elapsed);
    }
}
