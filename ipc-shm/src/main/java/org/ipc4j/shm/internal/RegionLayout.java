package org.ipc4j.shm.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The header every ipc4j file in {@code /dev/shm} starts with (not {@code ?raw} regions).
 * <pre>
 * offset size field             writer   ordering
 *      0    8 magic "IPC4JSHM"  creator  plain; before ready
 *      8    4 layout version    creator  plain; before ready
 *     12    4 kind              creator  0 region, 1 channel, 2 queue
 *     16    8 file size         creator  the whole file, header included
 *     24    8 user size         creator  bytes after the header (region: SharedRegion.size())
 *     32    8 creator pid       creator  for people and tools only, never for liveness
 *     40    8 creator start     creator  /proc/PID/stat field 22 (clock ticks after boot)
 *     48    4 ready             creator  release, written last; openers read it acquire
 *     52   76 reserved          -        zero
 *    128      body              kind     region: user bytes; channel: ChannelLayout; queue: QueueLayout
 * </pre>
 * Integers are in the machine's byte order (little-endian on x86-64 and arm64). The file is
 * built under a temporary name and renamed into place, so an opener never sees a half-written
 * header; the ready flag still guards against a foreign writer.
 */
public final class RegionLayout {
    /** "IPC4JSHM" read as a little-endian long, so a hex dump shows the text. */
    public static final long MAGIC = ByteBuffer.wrap("IPC4JSHM".getBytes(StandardCharsets.US_ASCII))
            .order(ByteOrder.LITTLE_ENDIAN).getLong();
    public static final int VERSION = 2;
    public static final int KIND_REGION = 0;
    public static final int KIND_CHANNEL = 1;
    public static final int KIND_QUEUE = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = MAGIC_OFFSET + 8;
    public static final int KIND_OFFSET = VERSION_OFFSET + 4;
    public static final int FILE_SIZE_OFFSET = KIND_OFFSET + 4;
    public static final int USER_SIZE_OFFSET = FILE_SIZE_OFFSET + 8;
    public static final int PID_OFFSET = USER_SIZE_OFFSET + 8;
    public static final int START_TIME_OFFSET = PID_OFFSET + 8;
    public static final int READY_OFFSET = START_TIME_OFFSET + 8;
    /** Header size: two cache lines, so the body starts cache-line aligned. */
    public static final int HEADER_SIZE = 128;
    public static final int READY = 1;

    private RegionLayout() {
    }

    /** A kind's name for messages. */
    public static String kindName(int kind) {
        switch (kind) {
            case KIND_REGION: return "region";
            case KIND_CHANNEL: return "channel";
            case KIND_QUEUE: return "queue";
            default: return "unknown kind " + kind;
        }
    }
}
