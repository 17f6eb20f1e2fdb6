package org.ipc4j.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.junit.jupiter.api.Test;

/** 10,000 connect/accept/close cycles leave /proc/self/fd as it was. */
@SuppressWarnings("try")
class LeakTest {
    static final Duration T = Duration.ofSeconds(10);

    static Set<String> descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return p.getFileName() + "->" + Files.readSymbolicLink(p);
                } catch (IOException e) {
                    return p.getFileName() + "->?";  // the descriptor of the listing itself
                }
            }).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static void cycles(String address, int count) throws IOException {
        try (ChannelListener l = Ipc.listen(address)) {
            for (int i = 0; i < count; i++) {
                try (Channel c = Ipc.connect(l.address()); Channel s = l.accept(T)) {
                    if (i % 100 == 0) {
                        // now and then exercise the waits, which open selectors
                        c.send(ByteBuffer.wrap(new byte[] {1}));
                        s.receive(ByteBuffer.allocate(1), T);
                    }
                }
            }
        }
    }

    @Test
    void tenThousandCyclesLeakNoDescriptor() throws Exception {
        Path path = TestPaths.path("leak");
        cycles("unix:" + path, 50);  // warm up: classes, native library, logging
        cycles("tcp://127.0.0.1:0", 50);
        Set<String> before = descriptors();
        cycles("unix:" + path, 10_000);
        cycles("unix:@ipc4j-leak-" + ProcessHandle.current().pid(), 1_000);
        cycles("unix:" + path + "?impl=junixsocket", 1_000);
        cycles("tcp://127.0.0.1:0", 1_000);
        assertEquals(before, descriptors());
    }
}
