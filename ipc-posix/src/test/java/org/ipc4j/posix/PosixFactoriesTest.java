package org.ipc4j.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.ipc4j.Channel;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.spi.IpcProvider;
import org.junit.jupiter.api.Test;

class PosixFactoriesTest {

    @Test
    void providerIsFoundWithItsSchemesAndSignals() {
        IpcProvider posix = ServiceLoader.load(IpcProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("posix")).findFirst().orElseThrow();
        assertEquals(java.util.Set.of("pipe", "fifo", "mq", "sysvmq", "sem", "sysvsem"), posix.schemes());
        assertTrue(posix.signals().isPresent());
        assertTrue(Ipc.schemes().contains("sysvsem"));
    }

    @Test
    void typedFactoriesUseTheSameValidationAndObjects() throws Exception {
        String name = "/" + TestSupport.unique("typed");
        try (MessageQueue q = Posix.openQueue(name, Posix.Open.CREATE, 3, 32);
             Semaphore s = Posix.openSemaphore(name, Posix.Open.EXCLUSIVE, 1)) {
            assertEquals(3, q.capacity());
            q.send(ByteBuffer.wrap(new byte[] {7}), 4);
            assertEquals(4, q.receive(ByteBuffer.allocate(32)).priority());
            assertTrue(s.tryAcquire());
            q.unlink();
            s.unlink();
        }
        InvalidAddressException bad = assertThrows(InvalidAddressException.class,
                () -> Posix.openQueue("/a/b", Posix.Open.CREATE, 1, 1));
        assertTrue(bad.getMessage().contains("second '/'"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Posix.openSemaphore("/a?b", Posix.Open.CREATE, 1));
        Path fifo = TestSupport.dir("typed").resolve("f");
        try (Channel r = Posix.openFifoReader(fifo, Posix.Open.CREATE);
             Channel w = Posix.openFifoWriter(fifo, Posix.Open.EXISTING)) {
            w.send(ByteBuffer.wrap(new byte[] {1, 2}));
            assertEquals(2, r.receive(ByteBuffer.allocate(8)));
        }
    }
}
