package org.ipc4j.shm;

import java.nio.file.Path;
import java.util.List;
import org.ipc4j.testkit.permission.PermissionContract;
import org.ipc4j.testkit.permission.PermissionSubject;
import org.ipc4j.testkit.permission.PermissionSubject.Type;

/**
 * The permission suite for ipc-shm: regions, channels (the listener's file) and queues, each a file
 * in {@code /dev/shm} (sticky and world-writable, where a link can be planted by anyone).
 */
class ShmPermissionTest extends PermissionContract {

    @Override
    protected List<PermissionSubject> subjects() {
        return List.of(
                PermissionSubject.of("shm region", Type.REGION, n -> "shm:/" + n + "?create&size=4096").file(ShmPermissionTest::file),
                PermissionSubject.of("shm channel", Type.LISTENER, n -> "shm:/" + n + "?capacity=4096").file(ShmPermissionTest::file),
                PermissionSubject.of("shm queue", Type.QUEUE, n -> "shm:/" + n + "?create&capacity=4&maxMessageSize=64")
                        .file(ShmPermissionTest::file));
    }

    private static Path file(String name) {
        return Path.of("/dev/shm", name);
    }
}
