package org.ipc4j.shm.internal;

/**
 * A shm channel file: the {@link RegionLayout} header (kind channel), this block, then two
 * single-producer single-consumer rings, ring 0 carrying server → client and ring 1 client → server.
 * <pre>
 * offset size field           writer      ordering
 *      0  128 region header   listener    see RegionLayout
 *    128    8 capacity        listener    ring bytes per direction, a power of two
 *    136    4 maxMessageSize  listener    at most capacity / 2 - 8
 *    140    4 connected       client      0 then 1 (CAS, volatile); futex word for accept
 *    144    4 serverClosed    server      release, after its last send; peers read acquire
 *    148    4 clientClosed    client      release, after its last send
 *    256      ring 0          see below   RING_SIZE(capacity) bytes
 *    256 + RING_SIZE(capacity)  ring 1
 *
 * ring (offsets from its start)
 *      0    8 tail            producer    release, after the record header; low 32 bits: consumer's futex word
 *    128    8 head            consumer    release, only now and then (see below); producer reads acquire;
 *                                             low 32 bits: producer's futex word
 *    256    4 consumerWaiting consumer    volatile; producer wakes the tail futex only if set
 *    260    4 consumerMayBlock consumer   written at attach; 0 for wait=spin (producer skips the fence)
 *    384    8 producerWaiting producer    volatile; 0, or the position up to which a blocked producer needs
 *                                             records consumed: the consumer wakes it once when it gets there
 *    392    4 producerMayBlock producer   written at attach
 *    512  cap records         producer    see below
 *
 * record (8-byte aligned; index = position &amp; (capacity - 1))
 *      0    4 length          payload bytes    } one 8-byte word written last, with release:
 *      4    4 type            MESSAGE_TYPE = 1, PADDING_TYPE = -1 (skip to the ring's end) } the publish flag
 *      8  len payload, then zeros to the next multiple of 8
 * consumed record: header = type CONSUMED_TYPE = 2, length = the record's bytes in the ring
 * (padding: to the ring's end), written by the consumer with release; the rest of it zero
 * </pre>
 * The consumer polls the header word at its head (type 1 or -1: published; pairs with the
 * producer's release). Having copied a message out, it zeroes the rest of the record, then marks
 * the header consumed (release): that frees the space. So an unpublished header always reads zero
 * or a consumed mark of an earlier lap. A drain marks nothing: it zeroes the whole span it passed,
 * headers included, then releases head over it; a producer reading marks counts a zero header of
 * the previous lap as not yet consumed. The consumer releases head only after each
 * {@code capacity / 4} bytes, when it finds the ring empty, before it blocks and before it wakes a
 * producer. The producer keeps a private limit (free up to {@code limit}); short of space it moves
 * the limit to head + capacity, then over the previous lap's records from {@code limit - capacity}
 * on while their headers are marked consumed (pairs with the mark's release). It never needs head
 * per message, and space freed by a consumer that then stops receiving is still found. A producer
 * that blocks writes into producerWaiting the position up to which it needs records consumed,
 * re-reads head and the marks, and waits on head's futex word; a consumer that marks a record,
 * fences and finds its head at or past that position releases head (which changes the word) and
 * wakes it, once per position. The tail only serves the futex and the blocking consumer's emptiness
 * check.
 * Counters sit two cache lines apart. Positions only grow. A record never wraps: when it does not
 * fit before the ring's end, a padding record fills the rest. The whole file's liveness locks are
 * open-file-description locks on byte {@link #SERVER_LOCK} (listener, then server end) and byte
 * {@link #CLIENT_LOCK} (client end): the kernel frees them when the owner dies.
 */
public final class ChannelLayout {
    public static final int CACHE_LINE = 64;
    public static final int CAPACITY_OFFSET = RegionLayout.HEADER_SIZE;
    public static final int MAX_MESSAGE_OFFSET = CAPACITY_OFFSET + 8;
    public static final int CONNECTED_OFFSET = MAX_MESSAGE_OFFSET + 4;
    public static final int SERVER_CLOSED_OFFSET = CONNECTED_OFFSET + 4;
    public static final int CLIENT_CLOSED_OFFSET = SERVER_CLOSED_OFFSET + 4;
    public static final int RINGS_OFFSET = RegionLayout.HEADER_SIZE + 2 * CACHE_LINE;

    public static final int TAIL = 0;
    public static final int HEAD = TAIL + 2 * CACHE_LINE;
    public static final int CONSUMER_WAITING = HEAD + 2 * CACHE_LINE;
    public static final int CONSUMER_MAY_BLOCK = CONSUMER_WAITING + 4;
    public static final int PRODUCER_WAITING = CONSUMER_WAITING + 2 * CACHE_LINE;
    public static final int PRODUCER_MAY_BLOCK = PRODUCER_WAITING + 8;
    public static final int RECORDS = PRODUCER_WAITING + 2 * CACHE_LINE;

    public static final int RECORD_HEADER = 8;
    public static final int MESSAGE_TYPE = 1;
    public static final int PADDING_TYPE = -1;
    public static final int CONSUMED_TYPE = 2;

    public static final long SERVER_LOCK = 0;
    public static final long CLIENT_LOCK = 1;

    public static final long DEFAULT_CAPACITY = 64 * 1024;
    public static final long MIN_CAPACITY = 64;
    public static final long MAX_CAPACITY = 1L << 30;

    private ChannelLayout() {
    }

    /** Bytes one ring takes. */
    public static long ringSize(long capacity) {
        return RECORDS + capacity;
    }

    /** The whole file's size. */
    public static long fileSize(long capacity) {
        return RINGS_OFFSET + 2 * ringSize(capacity);
    }

    /** The largest message a ring of {@code capacity} always has room for, padding at the wrap included. */
    public static long maxMessageFor(long capacity) {
        return capacity / 2 - RECORD_HEADER;
    }

    /** A record's length in the ring. */
    public static int recordLength(int payload) {
        return (RECORD_HEADER + payload + 7) & ~7;
    }
}
