package org.ipc4j.socket;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ipc4j.testkit.permission.Attempt;
import org.ipc4j.testkit.permission.OtherUser;
import org.ipc4j.testkit.permission.PermissionContract;
import org.ipc4j.testkit.permission.PermissionSubject;
import org.ipc4j.testkit.permission.PermissionSubject.Type;

/**
 * The permission suite for ipc-socket: Unix stream listeners (each implementation) and Unix datagram
 * ends bound at paths in a 0755 directory, a squatted abstract name, and {@code allowUid}. The other
 * user's datagram end binds in a directory it may write.
 */
class SocketPermissionTest extends PermissionContract {
    private static Path dir;
    private static Path others;

    private static synchronized Path dir() throws Exception {
        if (dir == null) {
            dir = OtherUser.readableDirectory("ipc4j-perm-sock-");
            others = OtherUser.writableDirectory("ipc4j-perm-other-");
        }
        return dir;
    }

    @Override
    protected List<PermissionSubject> subjects() throws Exception {
        Path d = dir();
        Path o = others;
        return List.of(
                PermissionSubject.of("unix", Type.LISTENER, n -> "unix:" + d.resolve(n)).file(d::resolve),
                PermissionSubject.of("unix impl=junixsocket", Type.LISTENER,
                        n -> "unix:" + d.resolve(n) + "?impl=junixsocket").file(d::resolve),
                PermissionSubject.of("unix impl=jdk", Type.LISTENER, n -> "unix:" + d.resolve(n) + "?impl=jdk")
                        .file(d::resolve),
                PermissionSubject.of("unixgram", Type.DATAGRAM, n -> "unixgram:" + d.resolve(n) + "?bind=" + d.resolve(n))
                        .file(d::resolve)
                        .widenedAddress(n -> "unixgram:" + o.resolve(n + "-peer") + "?bind=" + d.resolve(n))
                        .attempts(n -> List.of(Attempt.denied("connect and send", "connect-send",
                                "unixgram:" + d.resolve(n) + "?bind=" + o.resolve(n + "-other") + "&timeout=5s")))
                        .use(n -> Attempt.denied("connect, send and await the answer", "connect-send-await-reply",
                                "unixgram:" + d.resolve(n) + "?bind=" + o.resolve(n + "-peer") + "&timeout=5s")));
    }

    @Override
    protected Optional<String> abstractAddress(String name) {
        return Optional.of("unix:@ipc4j-" + name);
    }

    @Override
    protected Optional<String> trustingOtherUser(String address) {
        return Optional.of(address + "?serverUid=0," + OtherUser.UID);
    }

    @Override
    protected Optional<String> allowUidAddress(String name) {
        try {
            return Optional.of("unix:" + dir().resolve(name) + "?mode=0666&allowUid=0");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
