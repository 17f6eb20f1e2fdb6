package org.ipc4j.testkit.peer;

import java.time.Duration;
import java.util.Arrays;
import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/**
 * Publishes a payload to the parent through a region and reads one back, with release/acquire.
 *
 * <pre>
 * offset          size    written by  ordering
 *      0             8    this peer   putLongRelease(seed) after the payload; parent reads acquire
 *      8             8    parent      putLongRelease(seed + 1) after its reply; this peer reads acquire
 *     64        length    this peer   {@link #payload(long, int) payload(seed, length)}
 * 64 + length   length    parent      payload(seed + 1, length)
 * </pre>
 *
 * Prints {@code READY} once the region is open, {@code PUBLISHED} after the flag,
 * then {@code READBACK OK} or {@code READBACK MISMATCH at <i>} once the parent's flag is seen.
 */
public final class RegionWriterPeer {
    /** Offset of the flag this peer publishes. */
    public static final long FLAG_OFFSET = 0;
    /** Offset of the flag the parent publishes. */
    public static final long REPLY_FLAG_OFFSET = FLAG_OFFSET + 8;
    /** Offset of this peer's payload; the parent's follows it. */
    public static final long PAYLOAD_OFFSET = 64;

    private RegionWriterPeer() {
    }

    /** @param args region address, seed (not 0), payload length */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[1]);
        int length = Integer.parseInt(args[2]);
        try (SharedRegion region = Ipc.openRegion(args[0])) {
            PeerMain.ready();
            region.write(PAYLOAD_OFFSET, payload(seed, length), 0, length);
            region.putLongRelease(FLAG_OFFSET, seed); // publish; pairs with the parent's getLongAcquire
            PeerMain.say("PUBLISHED");
            awaitLong(region, REPLY_FLAG_OFFSET, seed + 1, Duration.ofSeconds(60));
            byte[] got = new byte[length];
            region.read(PAYLOAD_OFFSET + length, got, 0, length);
            int mismatch = Arrays.mismatch(got, payload(seed + 1, length));
            PeerMain.say(mismatch < 0 ? "READBACK OK" : "READBACK MISMATCH at " + mismatch);
        }
    }

    /** The payload for a seed: bytes derived from seed and index, none constant. */
    public static byte[] payload(long seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 131 + i * 7L + (i >>> 8));
        }
        return b;
    }

    /**
     * Spins until {@code getLongAcquire(offset) == expected}.
     *
     * @throws IllegalStateException if it did not happen within {@code timeout}
     */
    public static void awaitLong(SharedRegion region, long offset, long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen;
        while ((seen = region.getLongAcquire(offset)) != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the long at offset " + offset + " of '" + region.address() + "' is "
                        + seen + ", still not " + expected + " after " + timeout);
            }
            Thread.yield();
        }
    }
}
