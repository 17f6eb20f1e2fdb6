package org.ipc4j.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InprocRegionTest {
    private final List<SharedRegion> open = new ArrayList<>();

    private SharedRegion region(String address) throws IOException {
        SharedRegion r = Ipc.openRegion(address);
        open.add(r);
        return r;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (SharedRegion r : open) {
            r.close();
        }
    }

    @Test
    void creatingNeedsASizeAndSizeMustBePositive() {
        String address = Names.unique("r");
        InvalidAddressException missing = assertThrows(InvalidAddressException.class, () -> region(address + "?create"));
        assertEquals("size", missing.part());
        assertTrue(missing.getMessage().contains("required"), missing.getMessage());
        InvalidAddressException zero = assertThrows(InvalidAddressException.class,
                () -> region(address + "?create&size=0"));
        assertEquals("size", zero.part());
        assertTrue(zero.getMessage().contains("size=0") && zero.getMessage().contains("accepted: 1 to"), zero.getMessage());
        InvalidAddressException bad = assertThrows(InvalidAddressException.class,
                () -> region(address + "?create&size=12parsecs"));
        assertEquals("size", bad.part());
        assertThrows(ObjectNotFoundException.class, () -> region(address));
    }

    @Test
    void valuesWrittenThroughOneHandleAreSeenThroughAnother() throws IOException {
        String address = Names.unique("r");
        SharedRegion a = region(address + "?create&size=4KiB");
        SharedRegion b = region(address);
        assertEquals(4096, a.size());
        assertEquals(4096, b.size());
        a.putInt(0, 42);
        a.putLong(8, -7L);
        a.putIntVolatile(16, 1);
        a.putLongVolatile(24, 2);
        a.putIntRelease(32, 3);
        a.putLongRelease(40, 4);
        assertEquals(42, b.getInt(0));
        assertEquals(-7L, b.getLong(8));
        assertEquals(1, b.getIntVolatile(16));
        assertEquals(2, b.getLongVolatile(24));
        assertEquals(3, b.getIntAcquire(32));
        assertEquals(4, b.getLongAcquire(40));
        assertTrue(b.compareAndSetInt(0, 42, 43));
        assertFalse(b.compareAndSetInt(0, 42, 44));
        assertEquals(43, a.getInt(0));
        assertTrue(b.compareAndSetLong(8, -7L, 9L));
        assertFalse(b.compareAndSetLong(8, -7L, 10L));
        assertEquals(43, a.getAndAddInt(0, 10));
        assertEquals(53, b.getInt(0));
        assertEquals(9L, a.getAndAddLong(8, 1));
        assertEquals(10L, b.getLong(8));
        a.putInt(101, 5);
        assertEquals(5, b.getInt(101), "plain access may be misaligned");
    }

    @Test
    void bulkReadsAndWritesMovePositionsAndCheckBounds() throws IOException {
        SharedRegion r = region(Names.unique("r") + "?create&size=64");
        r.write(10, new byte[] {9, 1, 2, 3, 9}, 1, 3);
        byte[] out = new byte[5];
        r.read(10, out, 1, 3);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 0}, out);
        ByteBuffer src = ByteBuffer.wrap(new byte[] {7, 8, 9});
        r.write(61, src);
        assertEquals(3, src.position());
        ByteBuffer dst = ByteBuffer.allocate(5).position(2);
        r.read(61, dst);
        assertEquals(5, dst.position());
        assertArrayEquals(new byte[] {0, 0, 7, 8, 9}, dst.array());
        assertThrows(IndexOutOfBoundsException.class, () -> r.write(62, ByteBuffer.allocate(3)));
        assertThrows(IndexOutOfBoundsException.class, () -> r.read(0, new byte[2], 1, 2));
        ByteBuffer direct = ByteBuffer.allocateDirect(4);
        r.read(10, direct);
        assertEquals(4, direct.position());
        assertEquals(1, direct.get(0));
    }

    @Test
    void outOfBoundsNamesRegionOffsetLengthAndSize() throws IOException {
        SharedRegion r = region(Names.unique("r") + "?create&size=16");
        List<Executable> outside = List.of(
                () -> r.getInt(13), () -> r.putInt(-1, 0), () -> r.getLong(9), () -> r.getLongVolatile(16),
                () -> r.getAndAddInt(16, 1), () -> r.compareAndSetLong(Long.MAX_VALUE - 3, 0, 1),
                () -> r.read(10, new byte[7], 0, 7), () -> r.write(-5, new byte[1], 0, 1));
        for (Executable e : outside) {
            IndexOutOfBoundsException x = assertThrows(IndexOutOfBoundsException.class, e);
            String m = x.getMessage();
            assertTrue(m.contains(r.address()) && m.contains("offset=") && m.contains("length=")
                    && m.contains("size=16"), m);
        }
        IndexOutOfBoundsException x = assertThrows(IndexOutOfBoundsException.class, () -> r.getInt(13));
        assertTrue(x.getMessage().contains("offset=13") && x.getMessage().contains("length=4"), x.getMessage());
        r.putLong(8, 1);
        assertEquals(1, r.getLong(8), "the last long fits");
    }

    @Test
    void misalignedOrderedAndAtomicAccessesAreRefused() throws IOException {
        SharedRegion r = region(Names.unique("r") + "?create&size=64");
        List<Executable> misaligned = List.of(
                () -> r.getIntVolatile(2), () -> r.putIntVolatile(1, 0), () -> r.getIntAcquire(3),
                () -> r.putIntRelease(6, 0), () -> r.compareAndSetInt(5, 0, 1), () -> r.getAndAddInt(7, 1),
                () -> r.getLongVolatile(4), () -> r.putLongVolatile(12, 0), () -> r.getLongAcquire(1),
                () -> r.putLongRelease(2, 0), () -> r.compareAndSetLong(20, 0, 1), () -> r.getAndAddLong(36, 1));
        for (Executable e : misaligned) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
            assertTrue(x.getMessage().contains(r.address()) && x.getMessage().contains("multiple of"), x.getMessage());
        }
        r.getAndAddLong(56, 1);
        r.getAndAddInt(60, 1);
    }

    @Test
    void closedHandleThrowsIllegalStateNamingTheRegion() throws IOException {
        String address = Names.unique("r");
        SharedRegion r = region(address + "?create&size=8");
        SharedRegion other = region(address);
        r.putInt(0, 5);
        r.close();
        r.close();
        assertFalse(r.isOpen());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.getInt(0));
        assertTrue(e.getMessage().contains(address), e.getMessage());
        assertThrows(IllegalStateException.class, r::asByteBuffer);
        assertThrows(IllegalStateException.class, () -> r.write(0, new byte[1], 0, 1));
        assertEquals(5, other.getInt(0), "the contents stay for other handles");
    }

    @Test
    void asByteBufferIsANativeOrderViewOfTheWholeRegion() throws IOException {
        SharedRegion r = region(Names.unique("r") + "?create&size=100");
        ByteBuffer view = r.asByteBuffer();
        assertEquals(0, view.position());
        assertEquals(100, view.limit());
        assertEquals(ByteOrder.nativeOrder(), view.order());
        view.putInt(4, 0x01020304);
        assertEquals(0x01020304, r.getInt(4));
        r.putLong(16, 99);
        assertEquals(99, r.asByteBuffer().getLong(16));
    }

    @Test
    void getAndAddFromTwoThreadsLosesNoUpdate() throws Exception {
        String address = Names.unique("r");
        SharedRegion a = region(address + "?create&size=16");
        SharedRegion b = region(address);
        int n = 200_000;
        CompletableFuture<Void> x = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < n; i++) {
                a.getAndAddLong(8, 1);
            }
        }, Blocker.THREADS);
        for (int i = 0; i < n; i++) {
            b.getAndAddLong(8, 1);
        }
        x.get(30, TimeUnit.SECONDS);
        assertEquals(2L * n, a.getLongVolatile(8));
    }

    @Test
    void unlinkRemovesTheNameButNotTheMemoryAndExclusiveRefuses() throws IOException {
        String address = Names.unique("r");
        SharedRegion r = region(address + "?exclusive&size=8");
        assertThrows(ObjectExistsException.class, () -> region(address + "?exclusive&size=8"));
        r.putInt(0, 77);
        r.unlink();
        assertThrows(ObjectNotFoundException.class, r::unlink);
        assertThrows(ObjectNotFoundException.class, () -> region(address));
        assertEquals(77, r.getInt(0));
        SharedRegion fresh = region(address + "?create&size=8");
        assertEquals(0, fresh.getInt(0));
        fresh.unlink();
    }
}
