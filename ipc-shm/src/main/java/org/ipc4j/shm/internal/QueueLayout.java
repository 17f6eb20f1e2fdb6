package org.ipc4j.shm.internal;

/**
 * A shm message queue file: the {@link RegionLayout} header (kind queue), this block, then
 * {@code capacity} fixed-size slots.
 * <pre>
 * offset size field             writer     ordering
 *      0  128 region header     creator    see RegionLayout
 *    128    4 capacity          creator    slots
 *    132    4 maxMessageSize    creator
 *    136    4 slotSize          creator    align8(16 + maxMessageSize)
 *    144    8 unblockTimeout    creator    nanoseconds a consumer waits on a live claim before revoking it
 *    256    8 tail              producers  CAS; next position to claim (helped forward by anyone)
 *    384    8 head              consumers  CAS; next position to read (helped forward by anyone)
 *    512    8 lostClaims        consumers  atomic add
 *    640    4 consumersWaiting  consumers  atomic add; producers wake publishSeq only if non-zero
 *    644    4 publishSeq        producers  futex word consumers wait on
 *    768    4 producersWaiting  producers  atomic add
 *    772    4 freeSeq           consumers  futex word producers wait on
 *   1024      slots             -          slot i at 1024 + i * slotSize
 *
 * slot
 *      0    8 state             CAS        (position &lt;&lt; 19) | (owner &lt;&lt; 3) | tag
 *      8    4 length            producer   written before PUBLISHED
 *     16  max payload           producer   written before PUBLISHED
 * </pre>
 * Position {@code p} lives in slot {@code p % capacity}. Tags: FREE (the slot awaits position p),
 * CLAIMED (producer {@code owner} is writing p), PUBLISHED (p is readable), READING (consumer
 * {@code owner} is copying p out), LOST (p's claim was revoked: readers skip it; while its owner lives
 * the slot stays quarantined, skipped lap after lap, so a resumed producer's late writes touch nothing
 * anyone reads). Owners are numbered 1 to {@link #MAX_OWNERS}; each open handle holds an open file
 * description lock on byte {@code owner} of the file, so a dead owner is one whose byte is unlocked.
 */
public final class QueueLayout {
    public static final int CAPACITY_OFFSET = RegionLayout.HEADER_SIZE;
    public static final int MAX_MESSAGE_OFFSET = CAPACITY_OFFSET + 4;
    public static final int SLOT_SIZE_OFFSET = MAX_MESSAGE_OFFSET + 4;
    public static final int UNBLOCK_OFFSET = SLOT_SIZE_OFFSET + 8;
    public static final int TAIL = 256;
    public static final int HEAD = TAIL + 128;
    public static final int LOST_CLAIMS = HEAD + 128;
    public static final int CONSUMERS_WAITING = LOST_CLAIMS + 128;
    public static final int PUBLISH_SEQ = CONSUMERS_WAITING + 4;
    public static final int PRODUCERS_WAITING = CONSUMERS_WAITING + 128;
    public static final int FREE_SEQ = PRODUCERS_WAITING + 4;
    public static final int SLOTS = 1024;

    public static final int SLOT_STATE = 0;
    public static final int SLOT_LENGTH = 8;
    public static final int SLOT_PAYLOAD = 16;

    public static final int FREE = 0;
    public static final int CLAIMED = 1;
    public static final int PUBLISHED = 2;
    public static final int LOST = 3;
    public static final int READING = 4;
    public static final int TAG_BITS = 3;
    public static final int OWNER_BITS = 16;
    public static final int POSITION_SHIFT = TAG_BITS + OWNER_BITS;
    public static final int MAX_OWNERS = 4096;
    /** Owner 0: nobody; always treated as dead. */
    public static final int NO_OWNER = 0;

    public static final int MAX_CAPACITY = 1 << 20;
    public static final int DEFAULT_CAPACITY = 64;
    public static final int DEFAULT_MAX_MESSAGE = 8192;

    private QueueLayout() {
    }

    public static long state(long position, int owner, int tag) {
        return (position << POSITION_SHIFT) | ((long) owner << TAG_BITS) | tag;
    }

    public static long position(long state) {
        return state >>> POSITION_SHIFT;
    }

    public static int owner(long state) {
        return (int) (state >>> TAG_BITS) & ((1 << OWNER_BITS) - 1);
    }

    public static int tag(long state) {
        return (int) state & ((1 << TAG_BITS) - 1);
    }

    public static int slotSize(int maxMessage) {
        return (SLOT_PAYLOAD + maxMessage + 7) & ~7;
    }

    public static long fileSize(int capacity, int maxMessage) {
        return SLOTS + (long) capacity * slotSize(maxMessage);
    }
}
