package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.InvalidAddressException;
import org.ipc4j.Ipc;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class ShmFactoriesTest {
    private final String name = Names.unique("typed");

    @AfterEach
    void cleanUp() {
        Names.delete(name);
    }

    @Test
    void typedFactoriesMeetAddressesByName() throws Exception {
        try (SharedRegion a = Shm.createRegion("/" + name, 64); SharedRegion b = Ipc.openRegion("shm:/" + name)) {
            a.putLongRelease(0, 9);
            assertEquals(9, b.getLongAcquire(0));
            a.unlink();
        }
        try (ShmMessageQueue q = Shm.createQueue("/" + name, 2, 8); ShmMessageQueue p = Shm.openQueue("/" + name)) {
            q.send(ByteBuffer.allocate(8));
            assertEquals(8, p.receive(ByteBuffer.allocate(8)).length());
            q.unlink();
        }
        try (ChannelListener l = Shm.listen("/" + name, 4096, Shm.Wait.BLOCK)) {
            CompletableFuture<Channel> c = CompletableFuture.supplyAsync(() -> {
                try {
                    return Shm.connect("/" + name, Shm.Wait.SPIN);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, ThreadPerTaskExecutor.INSTANCE);
            try (Channel s = l.accept(Duration.ofSeconds(30)); Channel k = c.get(30, TimeUnit.SECONDS)) {
                k.send(ByteBuffer.allocate(3));
                assertEquals(3, s.receive(ByteBuffer.allocate(8)));
            }
        }
        assertThrows(InvalidAddressException.class, () -> Shm.createRegion("no-slash", 64));
    }
}
