package org.ipc4j.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.junit.jupiter.api.Test;

class InprocFactoriesTest {

    private static String name(String prefix) {
        return Names.unique(prefix).substring("inproc:".length());
    }

    @Test
    void typedFactoriesMeetAddressStringsByName() throws IOException {
        String c = name("f");
        try (ChannelListener l = Inproc.listen(c, 64, 2);
             Channel client = Ipc.connect("inproc:" + c);
             Channel server = l.accept(Duration.ofSeconds(5))) {
            assertEquals(64, client.maxMessageSize());
            client.send(ByteBuffer.allocate(5));
            assertEquals(5, server.receive(ByteBuffer.allocate(64)));
        }
        String q = name("fq");
        try (MessageQueue a = Inproc.createQueue(q, 3, 100, 7); MessageQueue b = Ipc.openQueue("inproc:" + q)) {
            assertEquals(3, b.capacity());
            assertEquals(100, b.maxMessageSize());
            assertEquals(7, b.maxPriority());
            a.unlink();
        }
        String r = name("fr");
        try (SharedRegion a = Inproc.createRegion(r, 64); SharedRegion b = Inproc.openRegion(r)) {
            a.putLong(0, 5);
            assertEquals(5, b.getLong(0));
            a.unlink();
        }
        String s = name("fs");
        try (Semaphore a = Inproc.createSemaphore(s, 2); Semaphore b = Inproc.openSemaphore(s)) {
            assertEquals(2, b.availablePermits());
            a.unlink();
        }
    }

    @Test
    void typedFactoriesCheckLikeAddresses() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> Inproc.createQueue(name("x"), 0, 1, 1));
        assertEquals("capacity", e.part());
        assertThrows(InvalidAddressException.class, () -> Inproc.connect("no-slash"));
        InvalidAddressException two = assertThrows(InvalidAddressException.class, () -> Inproc.openSemaphore("/a/b"));
        assertTrue(two.getMessage().contains("single component"), two.getMessage());
        assertThrows(NullPointerException.class, () -> Inproc.openRegion(null));
    }
}
