package org.ipc4j.inproc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;
import org.ipc4j.MessageTooLargeException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InprocQueueTest {
    private final List<MessageQueue> open = new ArrayList<>();

    private MessageQueue queue(String address) throws IOException {
        MessageQueue q = Ipc.openQueue(address);
        open.add(q);
        return q;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (MessageQueue q : open) {
            q.close();
        }
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private static String receiveText(MessageQueue q) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(q.maxMessageSize());
        Received r = q.receive(dst, Duration.ofSeconds(5));
        return new String(dst.array(), 0, r.length(), UTF_8) + "@" + r.priority();
    }

    @Test
    void defaultsAreThoseOfAPosixQueueHere() throws IOException {
        MessageQueue q = queue(Names.unique("q") + "?create");
        assertEquals(10, q.capacity());
        assertEquals(8192, q.maxMessageSize());
        assertEquals(31, q.maxPriority());
        assertEquals(0, q.size());
        assertTrue(q.isOpen());
    }

    @Test
    void highestPriorityFirstAndFifoWithinAPriority() throws IOException {
        MessageQueue q = queue(Names.unique("q") + "?create");
        q.send(bytes("a"), 1);
        q.send(bytes("b"), 5);
        q.send(bytes("c"));
        q.send(bytes("d"), 5);
        q.send(bytes("e"), 1);
        assertEquals(5, q.size());
        assertEquals("b@5", receiveText(q));
        assertEquals("d@5", receiveText(q));
        assertEquals("a@1", receiveText(q));
        assertEquals("e@1", receiveText(q));
        assertEquals("c@0", receiveText(q));
        assertEquals(0, q.size());
    }

    @Test
    void fullQueueRefusesTrySendAndTimesOutTimedSendWithNothingSent() throws Exception {
        MessageQueue q = queue(Names.unique("q") + "?create&capacity=2");
        assertTrue(q.trySend(bytes("1"), 0));
        q.send(bytes("2"), 0, Duration.ZERO);
        ByteBuffer third = bytes("3");
        assertFalse(q.trySend(third, 0));
        IpcTimeoutException e = assertThrows(IpcTimeoutException.class, () -> q.send(third, 0, Duration.ofMillis(50)));
        assertTrue(e.getMessage().contains(q.address()), e.getMessage());
        assertEquals(0, third.position());
        assertEquals(2, q.size());
        Blocker<Void> sender = Blocker.blockedIn(() -> {
            q.send(bytes("4"));
            return null;
        });
        assertEquals("1@0", receiveText(q));
        sender.value();
        assertEquals("2@0", receiveText(q));
        assertEquals("4@0", receiveText(q));
    }

    @Test
    void emptyQueueTimesOutAndTryReceiveIsEmpty() throws IOException {
        MessageQueue q = queue(Names.unique("q") + "?create");
        assertTrue(q.tryReceive(ByteBuffer.allocate(8)).isEmpty());
        assertThrows(IpcTimeoutException.class, () -> q.receive(ByteBuffer.allocate(8), Duration.ofMillis(30)));
        assertThrows(IllegalArgumentException.class, () -> q.receive(ByteBuffer.allocate(8), Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> q.send(bytes("x"), 0, Duration.ofMillis(-1)));
        q.send(bytes("x"));
        assertEquals(1, q.tryReceive(ByteBuffer.allocate(8)).orElseThrow().length());
    }

    @Test
    void maxMessageSizeIsEnforcedAndSmallBufferLeavesMessageQueued() throws IOException {
        MessageQueue q = queue(Names.unique("q") + "?create&maxMessageSize=8");
        ByteBuffer big = ByteBuffer.allocate(9);
        MessageTooLargeException tooBig = assertThrows(MessageTooLargeException.class, () -> q.send(big));
        assertTrue(tooBig.getMessage().contains("size=9") && tooBig.getMessage().contains("maxMessageSize=8"),
                tooBig.getMessage());
        assertEquals(0, big.position());
        assertEquals(0, q.size());
        q.send(bytes("12345678"), 3);
        ByteBuffer small = ByteBuffer.allocate(4);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.receive(small));
        assertEquals(8, e.size());
        assertEquals(4, e.limit());
        assertFalse(e.discarded());
        assertEquals(0, small.position());
        assertEquals(1, q.size());
        assertEquals("12345678@3", receiveText(q));
    }

    @Test
    void priorityOutOfRangeNamesTheRange() throws IOException {
        MessageQueue q = queue(Names.unique("q") + "?create&maxPriority=3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.send(bytes("x"), 4));
        assertTrue(e.getMessage().contains("priority=4") && e.getMessage().contains("0 to 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q.send(bytes("x"), -1));
        assertEquals(0, q.size());
    }

    @Test
    void handlesShareOneQueueAndUnlinkRemovesOnlyTheName() throws IOException {
        String address = Names.unique("q");
        MessageQueue a = queue(address + "?create");
        MessageQueue b = queue(address);
        a.send(bytes("shared"));
        assertEquals(1, b.size());
        a.unlink();
        ObjectNotFoundException gone = assertThrows(ObjectNotFoundException.class, () -> queue(address));
        assertTrue(gone.getMessage().contains(address.substring("inproc:".length())), gone.getMessage());
        assertEquals("shared@0", receiveText(b));
        b.send(bytes("after"));
        assertEquals("after@0", receiveText(a));
        assertThrows(ObjectNotFoundException.class, b::unlink);
        MessageQueue fresh = queue(address + "?create");
        assertEquals(0, fresh.size());
        fresh.unlink();
    }

    @Test
    void exclusiveRefusesAnExistingQueueAndMissingOneIsNamed() throws IOException {
        String address = Names.unique("q");
        ObjectNotFoundException missing = assertThrows(ObjectNotFoundException.class, () -> queue(address));
        assertTrue(missing.getMessage().contains("create"), missing.getMessage());
        queue(address + "?exclusive");
        ObjectExistsException e = assertThrows(ObjectExistsException.class, () -> queue(address + "?create&exclusive"));
        assertTrue(e.getMessage().contains(address.substring("inproc:".length())), e.getMessage());
        queue(address + "?create");
    }

    @Test
    void closeWakesBlockedReceiverOfThatHandleOnly() throws Exception {
        String address = Names.unique("q");
        MessageQueue a = queue(address + "?create");
        MessageQueue b = queue(address);
        Blocker<Received> onA = Blocker.blockedIn(() -> a.receive(ByteBuffer.allocate(8)));
        Blocker<Received> onB = Blocker.blockedIn(() -> b.receive(ByteBuffer.allocate(8)));
        a.close();
        onA.failure(AsyncClosedException.class);
        onB.awaitParked();
        b.send(bytes("hi"));
        assertEquals(2, onB.value().length());
        assertThrows(ChannelClosedException.class, a::size);
        assertThrows(ChannelClosedException.class, () -> a.send(bytes("x")));
        assertThrows(ChannelClosedException.class, () -> a.tryReceive(ByteBuffer.allocate(8)));
        a.close();
    }

    @Test
    void interruptedReceiveKeepsStatusAndConsumesNothing() throws Exception {
        MessageQueue q = queue(Names.unique("q") + "?create");
        Blocker<Boolean> receiver = Blocker.blockedIn(() -> {
            try {
                q.receive(ByteBuffer.allocate(8));
                return false;
            } catch (InterruptedIOException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        receiver.thread.interrupt();
        assertTrue(receiver.value());
        q.send(bytes("x"));
        assertEquals(1, q.size());
        assertTrue(q.isOpen());
    }

    @Test
    void manyProducersAndConsumersDeliverEachMessageOnce() throws Exception {
        String address = Names.unique("q") + "?create&capacity=4";
        MessageQueue q = queue(address);
        int perProducer = 2_000;
        List<Blocker<Long>> consumers = new ArrayList<>();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            Thread t = new Thread(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(4);
                    for (int i = 1; i <= perProducer; i++) {
                        b.clear();
                        b.putInt(i).flip();
                        q.send(b);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            producers.add(t);
        }
        for (int c = 0; c < 2; c++) {
            consumers.add(Blocker.blockedInOrDone(() -> {
                long sum = 0;
                ByteBuffer b = ByteBuffer.allocate(4);
                for (int i = 0; i < perProducer; i++) {
                    b.clear();
                    q.receive(b, Duration.ofSeconds(10));
                    sum += b.flip().getInt();
                }
                return sum;
            }));
        }
        for (Thread t : producers) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }
        long total = consumers.get(0).value() + consumers.get(1).value();
        assertEquals(2L * perProducer * (perProducer + 1) / 2, total);
        assertEquals(0, q.size());
    }

    @Test
    void badValuesNameTheKeyAndRange() {
        String base = Names.unique("q") + "?create&";
        InvalidAddressException capacity = assertThrows(InvalidAddressException.class, () -> queue(base + "capacity=0"));
        assertEquals("capacity", capacity.part());
        assertTrue(capacity.getMessage().contains("1 to"), capacity.getMessage());
        InvalidAddressException size = assertThrows(InvalidAddressException.class, () -> queue(base + "maxMessageSize=0"));
        assertEquals("maxMessageSize", size.part());
        InvalidAddressException prio = assertThrows(InvalidAddressException.class, () -> queue(base + "maxPriority=40000"));
        assertEquals("maxPriority", prio.part());
        assertTrue(prio.getMessage().contains("0 to 32767"), prio.getMessage());
        InvalidAddressException unknown = assertThrows(InvalidAddressException.class, () -> queue(base + "size=1"));
        assertEquals("size", unknown.part());
        assertTrue(unknown.getMessage().contains("maxPriority"), unknown.getMessage());
    }
}
