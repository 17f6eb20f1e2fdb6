package org.ipc4j.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.ipc4j.Ipc;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerReaper;
import org.ipc4j.testkit.peer.RegionAdderPeer;
import org.ipc4j.testkit.peer.RegionWriterPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Behaviour every {@link org.ipc4j.SharedRegion} backend must show, in-process and across JVMs.
 * Extend it and implement {@link #regionAddress(String, long)}.
 *
 * <p>Every region a case creates is unlinked after it. Cases that need a second process are skipped
 * (with the reason) when {@link #crossProcess()} is false.
 */
@ExtendWith(PeerReaper.class)
public abstract class SharedRegionContract {
    /** How long a step that should succeed may take on a loaded machine. */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long a peer JVM may take to start and print READY. */
    protected static final Duration STARTUP = Duration.ofSeconds(60);
    /** The size of most regions the cases create. */
    protected static final long SIZE = 4096;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final List<String> created = new ArrayList<>();
    /** The unique name of the last region made by {@link #newRegion(long)}. */
    private String lastName;

    /** For subclasses: one per backend under test. */
    protected SharedRegionContract() {
    }

    /**
     * The address of a fresh region of {@code size} usable bytes, with {@code create}.
     *
     * @param uniqueName unique per test and run; letters, digits and '-'
     */
    protected abstract String regionAddress(String uniqueName, long size);

    /** False if the region cannot be shared with another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }

    /**
     * The same address without {@code create} (and {@code exclusive}), to open the region only if it
     * exists. The default removes those keys from the query; override if the backend's addresses differ.
     */
    protected String withoutCreate(String address) {
        return CreateKeys.strip(address);
    }

    /** Opens a region; the default goes through {@link Ipc#openRegion(String)}. */
    protected SharedRegion open(String address) throws IOException {
        return Ipc.openRegion(address);
    }

    /** A fresh region address that is unlinked after the test. */
    protected final String newRegion(long size) {
        lastName = "r" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        String address = regionAddress(lastName, size);
        created.add(address);
        return address;
    }

    @AfterEach
    void unlinkCreatedRegions() {
        for (String address : created) {
            try (SharedRegion r = open(address)) {
                r.unlink();
            } catch (IOException | RuntimeException e) {
                // already removed by the test, or never created
            }
        }
    }

    private static void assumeCrossProcess(boolean crossProcess) {
        assumeTrue(crossProcess, "this backend's regions cannot leave this JVM (crossProcess() is false)");
    }

    // ---------------------------------------------------------------- visibility

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void freshRegionHasTheSizeAskedAndIsZeroed() throws IOException {
        try (SharedRegion r = open(newRegion(SIZE))) {
            assertEquals(SIZE, r.size(), "size() of a region created with size " + SIZE);
            byte[] all = new byte[(int) SIZE];
            r.read(0, all, 0, all.length);
            assertArrayEquals(new byte[(int) SIZE], all, "a fresh region must read as zeros");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAccessorSeesWritesThroughAnotherHandle() throws IOException {
        String address = newRegion(SIZE);
        try (SharedRegion a = open(address); SharedRegion b = open(withoutCreate(address))) {
            a.putInt(0, 0x11223344);
            assertEquals(0x11223344, b.getInt(0), "putInt/getInt");
            a.putIntVolatile(4, -5);
            assertEquals(-5, b.getIntVolatile(4), "putIntVolatile/getIntVolatile");
            a.putIntRelease(8, 77);
            assertEquals(77, b.getIntAcquire(8), "putIntRelease/getIntAcquire");
            a.putLong(16, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, b.getLong(16), "putLong/getLong");
            a.putLongVolatile(24, Long.MIN_VALUE);
            assertEquals(Long.MIN_VALUE, b.getLongVolatile(24), "putLongVolatile/getLongVolatile");
            a.putLongRelease(32, Long.MAX_VALUE);
            assertEquals(Long.MAX_VALUE, b.getLongAcquire(32), "putLongRelease/getLongAcquire");
            assertEquals(0x11223344, b.getIntVolatile(0), "getIntVolatile of a plain write");
            assertEquals(0x0102030405060708L, b.getLongAcquire(16), "getLongAcquire of a plain write");
            byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
            a.write(101, bytes, 2, 5);
            byte[] got = new byte[7];
            b.read(100, got, 1, 6);
            assertArrayEquals(new byte[] {0, 0, 3, 4, 5, 6, 7}, got, "bulk write(byte[]) then read(byte[])");
            ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7, 6});
            a.write(200, src);
            assertEquals(4, src.position(), "write(ByteBuffer) must advance the source's position");
            ByteBuffer dst = ByteBuffer.allocate(6);
            dst.position(1);
            b.read(199, dst);
            assertEquals(6, dst.position(), "read(ByteBuffer) must advance the destination's position");
            assertArrayEquals(new byte[] {0, 0, 9, 8, 7, 6}, dst.array(), "bulk write(ByteBuffer) then read(ByteBuffer)");
            ByteBuffer direct = ByteBuffer.allocateDirect(3);
            b.read(201, direct);
            direct.flip();
            assertEquals(ByteBuffer.wrap(new byte[] {8, 7, 6}), direct, "read into a direct buffer");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void plainAccessNeedsNoAlignmentAndUsesNativeOrder() throws IOException {
        try (SharedRegion r = open(newRegion(SIZE))) {
            r.putLong(3, 0x0807060504030201L);
            assertEquals(0x0807060504030201L, r.getLong(3), "plain getLong/putLong at a misaligned offset");
            r.putInt(1001, 0xCAFEBABE);
            assertEquals(0xCAFEBABE, r.getInt(1001), "plain getInt/putInt at a misaligned offset");
            r.putInt(2000, 0x01020304);
            byte[] b = new byte[4];
            r.read(2000, b, 0, 4);
            assertEquals(0x01020304, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(),
                    "ints are stored in native byte order, so C peers read them as they are");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void releaseAcquirePublishesAPayloadBothWaysAcrossJvms() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newRegion(SIZE);
        long seed = 4242;
        int length = 1500;
        try (SharedRegion r = open(address);
                PeerJvm peer = PeerJvm.builder(RegionWriterPeer.class).args(address, String.valueOf(seed),
                        String.valueOf(length)).start()) {
            peer.awaitReady(STARTUP);
            RegionWriterPeer.awaitLong(r, RegionWriterPeer.FLAG_OFFSET, seed, PATIENCE);
            byte[] got = new byte[length];
            r.read(RegionWriterPeer.PAYLOAD_OFFSET, got, 0, length);
            assertArrayEquals(RegionWriterPeer.payload(seed, length), got,
                    "after getLongAcquire sees the peer's putLongRelease, its earlier writes must be visible");
            byte[] reply = RegionWriterPeer.payload(seed + 1, length);
            r.write(RegionWriterPeer.PAYLOAD_OFFSET + length, reply, 0, length);
            r.putLongRelease(RegionWriterPeer.REPLY_FLAG_OFFSET, seed + 1); // pairs with the peer's getLongAcquire
            assertEquals("READBACK OK", peer.awaitLineStartingWith("READBACK", PATIENCE),
                    "the peer must see our payload once it sees our flag");
            peer.assertExit(0, PATIENCE);
        }
    }

    // ---------------------------------------------------------------- atomics

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void compareAndSetChangesOnlyWhenTheExpectedValueIsThere() throws IOException {
        String address = newRegion(SIZE);
        try (SharedRegion a = open(address); SharedRegion b = open(withoutCreate(address))) {
            a.putIntVolatile(64, 10);
            assertFalse(b.compareAndSetInt(64, 11, 12), "compareAndSetInt with a wrong expected value");
            assertEquals(10, a.getIntVolatile(64), "a failed compareAndSetInt must not write");
            assertTrue(b.compareAndSetInt(64, 10, 12), "compareAndSetInt with the right expected value");
            assertEquals(12, a.getIntVolatile(64), "a successful compareAndSetInt writes the new value");
            assertEquals(0, a.getIntVolatile(68), "compareAndSetInt must not touch the next int");
            a.putLongVolatile(128, -1L);
            assertFalse(b.compareAndSetLong(128, 0xFFFFFFFFL, 1), "compareAndSetLong compares all 64 bits");
            assertEquals(-1L, a.getLongVolatile(128), "a failed compareAndSetLong must not write");
            assertTrue(b.compareAndSetLong(128, -1L, 1L << 40), "compareAndSetLong with the right expected value");
            assertEquals(1L << 40, a.getLongVolatile(128), "a successful compareAndSetLong writes the new value");
            assertEquals(1L << 40, b.getAndAddLong(128, 5), "getAndAddLong returns the value before");
            assertEquals((1L << 40) + 5, a.getLongVolatile(128), "getAndAddLong adds");
            assertEquals(12, b.getAndAddInt(64, -20), "getAndAddInt returns the value before");
            assertEquals(-8, a.getIntVolatile(64), "getAndAddInt adds a negative delta");
            a.putIntVolatile(72, Integer.MAX_VALUE);
            assertEquals(Integer.MAX_VALUE, a.getAndAddInt(72, 1), "getAndAddInt at the top of the range");
            assertEquals(Integer.MIN_VALUE, a.getIntVolatile(72), "getAndAddInt wraps like Java int arithmetic");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoThreadsEachAddingAMillionEndAtExactlyTwoMillion() throws Exception {
        String address = newRegion(SIZE);
        int perThread = 1_000_000;
        try (SharedRegion a = open(address); SharedRegion b = open(withoutCreate(address))) {
            CyclicBarrier together = new CyclicBarrier(2);
            List<FutureTask<BitSet>> adders = new ArrayList<>();
            for (SharedRegion handle : List.of(a, b)) {
                adders.add(start("region-adder", () -> {
                    BitSet seen = new BitSet(2 * perThread);
                    together.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    for (int i = 0; i < perThread; i++) {
                        long before = handle.getAndAddLong(0, 1);
                        if (before >= 0 && before < 2L * perThread) {
                            seen.set((int) before);
                        }
                        if ((i & 7) == 0) {
                            handle.getAndAddInt(64, 1);
                        }
                    }
                    return seen;
                }));
            }
            BitSet first = get(adders.get(0));
            BitSet second = get(adders.get(1));
            assertEquals(2L * perThread, a.getLongVolatile(0), "two threads each doing " + perThread
                    + " getAndAddLong(+1) on one long must end at exactly " + 2 * perThread + " (lost updates?)");
            assertEquals(2 * perThread / 8, a.getIntVolatile(64), "getAndAddInt from two threads lost updates");
            BitSet both = (BitSet) first.clone();
            both.and(second);
            assertTrue(both.isEmpty(), "getAndAddLong returned the same value to both threads, first at "
                    + both.nextSetBit(0) + ": the read-modify-write is not atomic");
            first.or(second);
            assertEquals(2 * perThread, first.cardinality(), "every value 0.." + (2 * perThread - 1)
                    + " must be returned exactly once by getAndAddLong");
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void thisJvmAndAPeerEachAddingAMillionEndAtExactlyTwoMillion() throws Exception {
        assumeCrossProcess(crossProcess());
        String address = newRegion(SIZE);
        long perJvm = 1_000_000;
        long offset = 256;
        long barrier = 512;
        try (SharedRegion r = open(address);
                PeerJvm peer = PeerJvm.builder(RegionAdderPeer.class).args(address, String.valueOf(offset),
                        String.valueOf(perJvm), String.valueOf(barrier), "2").start()) {
            peer.awaitReady(STARTUP);
            peer.sendLine("GO");
            RegionAdderPeer.meet(r, barrier, 2, PATIENCE); // both JVMs add at the same time
            long sum = 0;
            for (long i = 0; i < perJvm; i++) {
                sum += r.getAndAddLong(offset, 1);
            }
            String added = peer.awaitLineStartingWith("ADDED ", PATIENCE);
            peer.assertExit(0, PATIENCE);
            assertEquals(2 * perJvm, r.getLongVolatile(offset), "this JVM and a peer each doing " + perJvm
                    + " getAndAddLong(+1) must end at exactly " + 2 * perJvm + " (lost updates?)");
            String[] parts = added.split(" ");
            long total = sum + Long.parseLong(parts[2]);
            long n = 2 * perJvm;
            assertEquals(n * (n - 1) / 2, total, "the values getAndAddLong returned in both JVMs must be 0.."
                    + (n - 1) + " once each (a non-atomic add returns some twice)");
        }
    }

    // ---------------------------------------------------------------- bounds and alignment

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyAccessorChecksBoundsNamingOffsetLengthAndSize() throws IOException {
        String address = newRegion(SIZE);
        String name = lastName;
        try (SharedRegion r = open(address)) {
            long size = r.size();
            Map<String, LongConsumer> ints = intAccessors(r);
            Map<String, LongConsumer> longs = longAccessors(r);
            for (Map.Entry<String, LongConsumer> e : ints.entrySet()) {
                e.getValue().accept(size - 4); // the last int fits
                for (long bad : new long[] {size, -4, Long.MAX_VALUE & ~7L, Long.MIN_VALUE}) {
                    assertOutOfBounds(name, bad, 4, size, e.getKey(), () -> e.getValue().accept(bad));
                }
            }
            for (Map.Entry<String, LongConsumer> e : longs.entrySet()) {
                e.getValue().accept(size - 8); // the last long fits
                for (long bad : new long[] {size, -8, Long.MAX_VALUE & ~7L, Long.MIN_VALUE}) {
                    assertOutOfBounds(name, bad, 8, size, e.getKey(), () -> e.getValue().accept(bad));
                }
            }
            // plain accesses have no alignment: one byte past the end must fail
            assertOutOfBounds(name, size - 3, 4, size, "getInt", () -> r.getInt(size - 3));
            assertOutOfBounds(name, size - 3, 4, size, "putInt", () -> r.putInt(size - 3, 1));
            assertOutOfBounds(name, size - 7, 8, size, "getLong", () -> r.getLong(size - 7));
            assertOutOfBounds(name, size - 7, 8, size, "putLong", () -> r.putLong(size - 7, 1));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void bulkReadAndWriteCheckBoundsAtTheEdgesAndWriteNothingWhenRefused() throws IOException {
        String address = newRegion(SIZE);
        String name = lastName;
        try (SharedRegion r = open(address)) {
            long size = r.size();
            byte[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            r.write(size - 10, ten, 0, 10); // ends on the last byte
            byte[] back = new byte[10];
            r.read(size - 10, back, 0, 10);
            assertArrayEquals(ten, back, "bulk write and read ending on the last byte");
            r.write(size - 10, ByteBuffer.wrap(ten));
            r.read(size - 10, ByteBuffer.allocate(10));
            byte[] junk = new byte[10];
            Arrays.fill(junk, (byte) 0x55);
            assertOutOfBounds(name, size - 9, 10, size, "write(byte[])", () -> r.write(size - 9, junk, 0, 10));
            assertOutOfBounds(name, size - 9, 10, size, "read(byte[])", () -> r.read(size - 9, new byte[10], 0, 10));
            assertOutOfBounds(name, size - 9, 10, size, "write(ByteBuffer)", () -> r.write(size - 9, ByteBuffer.wrap(junk)));
            assertOutOfBounds(name, size - 9, 10, size, "read(ByteBuffer)", () -> r.read(size - 9, ByteBuffer.allocate(10)));
            assertOutOfBounds(name, -1, 1, size, "read(byte[]) at -1", () -> r.read(-1, new byte[1], 0, 1));
            assertOutOfBounds(name, -1, 1, size, "write(byte[]) at -1", () -> r.write(-1, new byte[1], 0, 1));
            assertOutOfBounds(name, Long.MAX_VALUE - 4, 10, size, "read(byte[]) near Long.MAX_VALUE (overflow)",
                    () -> r.read(Long.MAX_VALUE - 4, new byte[10], 0, 10));
            r.read(size - 10, back, 0, 10);
            assertArrayEquals(ten, back, "a refused bulk write must write nothing, not even the bytes that fit");
            ByteBuffer src = ByteBuffer.wrap(junk);
            assertThrows(IndexOutOfBoundsException.class, () -> r.write(size - 9, src));
            assertEquals(0, src.position(), "a refused write(ByteBuffer) must not move the source's position");
            assertThrows(IndexOutOfBoundsException.class, () -> r.read(0, new byte[4], 2, 4),
                    "read into an array range that does not fit the array");
            assertThrows(IndexOutOfBoundsException.class, () -> r.write(0, new byte[4], -1, 2),
                    "write from a negative array index");
            assertThrows(RuntimeException.class, () -> r.read(0, new byte[4], 0, -1), "read of a negative length");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void misalignedAtomicAccessIsRefused() throws IOException {
        try (SharedRegion r = open(newRegion(SIZE))) {
            for (Map.Entry<String, LongConsumer> e : intAccessors(r).entrySet()) {
                if (e.getKey().startsWith("getInt(") || e.getKey().startsWith("putInt(")) {
                    continue; // plain: no alignment needed
                }
                for (long bad : new long[] {2, 1, 1003}) {
                    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.getValue().accept(bad),
                            e.getKey() + " at misaligned offset " + bad);
                    assertNames(x, String.valueOf(bad));
                }
            }
            for (Map.Entry<String, LongConsumer> e : longAccessors(r).entrySet()) {
                if (e.getKey().startsWith("getLong(") || e.getKey().startsWith("putLong(")) {
                    continue;
                }
                for (long bad : new long[] {4, 1, 1002}) {
                    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> e.getValue().accept(bad),
                            e.getKey() + " at misaligned offset " + bad);
                    assertNames(x, String.valueOf(bad));
                }
            }
            byte[] all = new byte[(int) r.size()];
            r.read(0, all, 0, all.length);
            assertArrayEquals(new byte[all.length], all, "a refused access must write nothing");
        }
    }

    /** One call per int accessor, each writing the value 0 or a value with no effect on later checks. */
    private static Map<String, LongConsumer> intAccessors(SharedRegion r) {
        Map<String, LongConsumer> m = new LinkedHashMap<>();
        m.put("getInt(offset)", r::getInt);
        m.put("putInt(offset)", o -> r.putInt(o, 0));
        m.put("getIntVolatile(offset)", r::getIntVolatile);
        m.put("putIntVolatile(offset)", o -> r.putIntVolatile(o, 0));
        m.put("getIntAcquire(offset)", r::getIntAcquire);
        m.put("putIntRelease(offset)", o -> r.putIntRelease(o, 0));
        m.put("compareAndSetInt(offset)", o -> r.compareAndSetInt(o, 0, 0));
        m.put("getAndAddInt(offset)", o -> r.getAndAddInt(o, 0));
        return m;
    }

    private static Map<String, LongConsumer> longAccessors(SharedRegion r) {
        Map<String, LongConsumer> m = new LinkedHashMap<>();
        m.put("getLong(offset)", r::getLong);
        m.put("putLong(offset)", o -> r.putLong(o, 0));
        m.put("getLongVolatile(offset)", r::getLongVolatile);
        m.put("putLongVolatile(offset)", o -> r.putLongVolatile(o, 0));
        m.put("getLongAcquire(offset)", r::getLongAcquire);
        m.put("putLongRelease(offset)", o -> r.putLongRelease(o, 0));
        m.put("compareAndSetLong(offset)", o -> r.compareAndSetLong(o, 0, 0));
        m.put("getAndAddLong(offset)", o -> r.getAndAddLong(o, 0));
        return m;
    }

    private static void assertOutOfBounds(String regionName, long offset, long length, long size, String what,
            Executable access) {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, access,
                what + " at offset " + offset + " on a region of size " + size);
        assertNames(e, String.valueOf(offset), String.valueOf(length), String.valueOf(size), regionName);
    }

    private static void assertNames(Throwable e, String... parts) {
        String message = e.getMessage();
        assertTrue(message != null, e.getClass().getName() + " has no message");
        for (String part : parts) {
            assertTrue(message.contains(part), "the message should name '" + part + "': " + message);
        }
    }

    // ---------------------------------------------------------------- views, life

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void asByteBufferSeesTheSameBytes() throws IOException {
        String address = newRegion(SIZE);
        try (SharedRegion r = open(address); SharedRegion other = open(withoutCreate(address))) {
            ByteBuffer view = r.asByteBuffer();
            assertEquals(0, view.position(), "asByteBuffer() position");
            assertEquals(r.size(), view.limit(), "asByteBuffer() limit");
            assertEquals(r.size(), view.capacity(), "asByteBuffer() capacity: the whole usable area and no more");
            assertEquals(ByteOrder.nativeOrder(), view.order(), "asByteBuffer() byte order");
            r.putInt(16, 0x01020304);
            assertEquals(0x01020304, view.getInt(16), "the view must see putInt");
            other.putLongVolatile(512, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, view.getLong(512), "the view must see writes through another handle");
            view.put(100, (byte) 42);
            byte[] one = new byte[1];
            other.read(100, one, 0, 1);
            assertEquals(42, one[0], "writes to the view must be seen through another handle");
            view.putLong(1024, -2L);
            assertEquals(-2L, r.getLongVolatile(1024), "writes to the view must be seen by getLongVolatile");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void useAfterCloseThrowsIllegalStateNamingTheRegion() throws IOException {
        String address = newRegion(SIZE);
        String name = lastName;
        SharedRegion r = open(address);
        r.putLongVolatile(0, 99);
        assertTrue(r.isOpen(), "isOpen() before close()");
        r.close();
        r.close(); // idempotent
        assertFalse(r.isOpen(), "isOpen() after close()");
        List<String> failures = new ArrayList<>();
        Map<String, LongConsumer> all = new LinkedHashMap<>(intAccessors(r));
        all.putAll(longAccessors(r));
        all.put("read(byte[])", o -> r.read(o, new byte[4], 0, 4));
        all.put("write(byte[])", o -> r.write(o, new byte[4], 0, 4));
        all.put("read(ByteBuffer)", o -> r.read(o, ByteBuffer.allocate(4)));
        all.put("write(ByteBuffer)", o -> r.write(o, ByteBuffer.allocate(4)));
        all.put("asByteBuffer()", o -> r.asByteBuffer());
        for (Map.Entry<String, LongConsumer> e : all.entrySet()) {
            try {
                e.getValue().accept(8);
                failures.add(e.getKey() + " worked after close()");
            } catch (IllegalStateException x) {
                if (x.getMessage() == null || !x.getMessage().contains(name)) {
                    failures.add(e.getKey() + ": the message should name the region '" + name + "': " + x.getMessage());
                }
            } catch (RuntimeException x) {
                failures.add(e.getKey() + " threw " + x + " instead of IllegalStateException");
            }
        }
        assertEquals(List.of(), failures, "every access after close() must throw IllegalStateException");
        try (SharedRegion again = open(withoutCreate(address))) {
            assertEquals(99, again.getLongVolatile(0), "close() unmaps this view only; the region and its data stay");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unlinkRemovesTheNameButMappedViewsKeepWorking() throws IOException {
        String address = newRegion(SIZE);
        try (SharedRegion first = open(address); SharedRegion second = open(withoutCreate(address))) {
            first.putLongVolatile(0, 42);
            first.unlink();
            assertEquals(42, second.getLongVolatile(0), "open views keep their data after unlink()");
            second.putLongVolatile(8, 43);
            assertEquals(43, first.getLongVolatile(8), "open views stay shared after unlink()");
            assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                    "opening an unlinked region without create");
            assertThrows(ObjectNotFoundException.class, first::unlink, "a second unlink()");
            try (SharedRegion fresh = open(address)) {
                assertEquals(0, fresh.getLongVolatile(0), "a region created under the unlinked name must be new and zeroed");
                fresh.putLongVolatile(0, 7);
                assertEquals(42, first.getLongVolatile(0), "the new region must not share memory with the unlinked one");
                fresh.unlink();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void openWithoutCreateOfMissingRegionThrowsObjectNotFound() {
        String address = newRegion(SIZE);
        assertThrows(ObjectNotFoundException.class, () -> open(withoutCreate(address)).close(),
                "opening a region that was never created, without create: " + withoutCreate(address));
    }

    // ---------------------------------------------------------------- helpers

    private static <T> FutureTask<T> start(String name, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static <T> T get(FutureTask<T> task) throws Exception {
        try {
            return task.get(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            throw new AssertionError(e.getCause());
        }
    }
}
