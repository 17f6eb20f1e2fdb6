package org.ipc4j.tools;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The benchmark's shared-memory baseline: two Agrona {@link OneToOneRingBuffer}s (ping and pong) in
 * one file in /dev/shm mapped by both processes, busy-polled as Agrona users do.
 */
final class AgronaBaseline {
    static final String NAME = "agrona-shm";
    private static final int RING = 1 << 20;
    private static final int MSG_TYPE = 1;

    private AgronaBaseline() {
    }

    private static OneToOneRingBuffer[] rings(MappedByteBuffer map) {
        int each = RING + RingBufferDescriptor.TRAILER_LENGTH;
        return new OneToOneRingBuffer[] {new OneToOneRingBuffer(new UnsafeBuffer(map, 0, each)),
            new OneToOneRingBuffer(new UnsafeBuffer(map, each, each))};
    }

    private static MappedByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, 2L * (RING + RingBufferDescriptor.TRAILER_LENGTH));
        }
    }

    private static void idle(int spins) {
        if (spins < 10_000) {
            Thread.onSpinWait();
        } else {
            Thread.yield();   // two spinning processes on few loaded cores must not starve each other
        }
    }

    /** Peer side: echoes {@code count} messages from ping to pong. */
    static void echo(String address) throws IOException {
        String[] f = address.split("\\|");
        OneToOneRingBuffer[] r = rings(map(Path.of(f[0])));
        long count = Long.parseLong(f[1]);
        UnsafeBuffer copy = new UnsafeBuffer(new byte[RING / 8]);
        int[] length = new int[1];
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        for (long i = 0; i < count; i++) {
            length[0] = -1;
            int spins = 0;
            while (r[0].read((type, buffer, index, len) -> {
                copy.putBytes(0, buffer, index, len);
                length[0] = len;
            }, 1) == 0) {
                idle(++spins);
                if ((spins & 0xfff) == 0 && System.nanoTime() > deadline) {
                    throw new IOException("agrona peer: nothing arrived for 120s");
                }
            }
            while (!r[1].write(MSG_TYPE, copy, 0, length[0])) {
                Thread.onSpinWait();
            }
        }
    }

    /** Parent side. */
    static Runner.Result run(PeerLink peer, Path dir, long warmup, long count, int size) {
        int n = Math.max(1, size);
        Path file = Path.of("/dev/shm", dir.getFileName() + "-agrona");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            MappedByteBuffer map = map(file);
            OneToOneRingBuffer[] r = rings(map);
            if (n > r[0].maxMsgLength()) {
                return Runner.Result.unavailable(NAME, n, "message larger than the ring's limit " + r[0].maxMsgLength());
            }
            peer.send("RAW", NAME, file + "|" + (warmup + count));
            UnsafeBuffer out = new UnsafeBuffer(new byte[n]);
            UnsafeBuffer back = new UnsafeBuffer(new byte[n]);
            byte[] data = new byte[n];
            SplittableRandom random = new SplittableRandom(11);
            CRC32 sent = new CRC32();
            CRC32 received = new CRC32();
            Histogram h = new Histogram(3_600_000_000_000L, 3);
            int[] length = new int[1];
            long start = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            for (long i = 0; i < warmup + count; i++) {
                if (i == warmup) {
                    start = System.nanoTime();
                }
                for (int j = 0; j < n; j++) {
                    data[j] = (byte) random.nextInt(256);
                }
                sent.update(data);
                out.putBytes(0, data);
                long t0 = System.nanoTime();
                while (!r[0].write(MSG_TYPE, out, 0, n)) {
                    Thread.onSpinWait();
                }
                int spins = 0;
                while (r[1].read((type, buffer, index, len) -> {
                    back.putBytes(0, buffer, index, len);
                    length[0] = len;
                }, 1) == 0) {
                    idle(++spins);
                    if ((spins & 0xfff) == 0 && System.nanoTime() > deadline) {
                        throw new IOException("no echo within 120s after " + i + " round trips");
                    }
                }
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    h.recordValue(Math.max(1, t1 - t0));
                }
                byte[] got = new byte[length[0]];
                back.getBytes(0, got);
                received.update(got);
            }
            long elapsed = System.nanoTime() - start;
            peer.await("DONE", Duration.ofSeconds(30));
            boolean ok = sent.getValue() == received.getValue();
            return new Runner.Result(NAME, "2 x OneToOneRingBuffer in " + file, count, n, ok,
                    ok ? "ok" : "checksum mismatch", h, elapsed);
        } catch (Exception | Error e) {
            return new Runner.Result(NAME, file.toString(), 0, n, false, "failed: " + Util.reason(e), null, 0);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
