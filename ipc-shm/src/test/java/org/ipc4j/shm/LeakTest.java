package org.ipc4j.shm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Open/close cycles leave /proc/self/maps and /proc/self/fd as they were. */
@Timeout(value = 150, unit = java.util.concurrent.TimeUnit.SECONDS)
class LeakTest {
    private final String name = Names.unique("leak");

    @AfterEach
    void cleanUp() {
        Names.delete(name);
    }

    /** Mappings of /dev/shm files, and open descriptors. */
    private static List<String> snapshot() throws IOException {
        List<String> shmMaps = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("/dev/shm/")).collect(Collectors.toList());
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            List<String> all = fds.map(p -> {
                try {
                    return p.getFileName() + "->" + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return p.getFileName() + "->?";
                }
            }).filter(s -> !s.contains("/proc/") || !s.contains("/fd")).sorted().collect(Collectors.toList());
            shmMaps.addAll(all);
        }
        return shmMaps;
    }

    @Test
    void tenThousandRegionOpenCloseCyclesLeakNothing() throws Exception {
        try (SharedRegion keep = Ipc.openRegion("shm:/" + name + "?create&size=64KiB")) {
            for (int i = 0; i < 100; i++) {
                Ipc.openRegion("shm:/" + name).close();
            }
            List<String> before = snapshot();
            for (int i = 0; i < 10_000; i++) {
                try (SharedRegion r = Ipc.openRegion("shm:/" + name)) {
                    r.getAndAddLong(0, 1);
                }
            }
            assertEquals(before, snapshot());
            assertEquals(10_000, keep.getLong(0));
        }
    }

    @Test
    void createUnlinkQueueAndChannelCyclesLeakNothing() throws Exception {
        cycle();
        List<String> before = snapshot();
        for (int i = 0; i < 300; i++) {
            cycle();
        }
        assertEquals(before, snapshot());
        assertFalse(Files.exists(Names.path(name)));
    }

    private void cycle() throws Exception {
        try (SharedRegion r = Ipc.openRegion("shm:/" + name + "?exclusive&size=4KiB")) {
            r.unlink();
        }
        try (MessageQueue q = Ipc.openQueue("shm:/" + name + "?exclusive&capacity=4&maxMessageSize=16")) {
            q.send(ByteBuffer.allocate(4));
            q.receive(ByteBuffer.allocate(16));
            q.unlink();
        }
        try (ChannelListener l = Ipc.listen("shm:/" + name + "?capacity=1KiB")) {
            CompletableFuture<Channel> client = CompletableFuture.supplyAsync(() -> {
                try {
                    return Ipc.connect(l.address());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, ThreadPerTaskExecutor.INSTANCE);
            try (Channel s = l.accept(Duration.ofSeconds(30)); Channel c = client.get(30, TimeUnit.SECONDS)) {
                c.send(ByteBuffer.allocate(8));
                s.receive(ByteBuffer.allocate(8));
            }
        }
    }
}
