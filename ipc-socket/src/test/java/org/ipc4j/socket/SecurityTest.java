package org.ipc4j.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.PermissionDeniedException;
import org.junit.jupiter.api.Test;

/**
 * {@code serverUid} on a path refuses a listener of another uid. The cases with another user (mode
 * 0600 of socket files, {@code allowUid}, a squatted abstract name) are in {@link SocketPermissionTest}.
 */
class SecurityTest {
    static final Duration T = Duration.ofSeconds(60);

    @Test
    void serverUidAlsoChecksAListenerAtAPath() throws Exception {
        Path path = TestPaths.path("u");
        try (ChannelListener l = Ipc.listen("unix:" + path)) {
            String address = "unix:" + path + "?serverUid=4242";
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> Ipc.connect(address));
            assertTrue(e.getMessage().contains("uid=0") && e.getMessage().contains("serverUid=[4242]"), e.getMessage());
            try (Channel refused = l.accept(T)) {
                assertEquals(-1, refused.receive(ByteBuffer.allocate(1), T), "the refused connection carried nothing");
            }
            try (Channel c = Ipc.connect("unix:" + path + "?serverUid=0"); Channel s = l.accept(T)) {
                c.send(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(1, s.receive().length);
            }
        }
    }
}
