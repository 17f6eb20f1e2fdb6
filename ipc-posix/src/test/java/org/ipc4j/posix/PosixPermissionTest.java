package org.ipc4j.posix;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.testkit.permission.Attempt;
import org.ipc4j.testkit.permission.ObjectMode;
import org.ipc4j.testkit.permission.OtherUser;
import org.ipc4j.testkit.permission.PermissionContract;
import org.ipc4j.testkit.permission.PermissionSubject;
import org.ipc4j.testkit.permission.PermissionSubject.Type;

/**
 * The permission suite for ipc-posix: POSIX queues ({@code mq:}, mode read in a private mqueue
 * mount), POSIX semaphores ({@code sem:}, the file {@code /dev/shm/sem.NAME}), SysV queues and
 * semaphores (modes from {@code /proc/sysvipc}), and FIFOs in a 0755 directory. The other user's
 * unlink is the system call itself ({@link OtherUserUnlink}).
 */
class PosixPermissionTest extends PermissionContract {
    private static final String UNLINK = OtherUserUnlink.class.getName() + "#";
    private static final int KEY_BASE = 0x2E00_0000 | (int) (ProcessHandle.current().pid() & 0xFFFF) << 8;
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final Map<String, Integer> KEY_OF = new ConcurrentHashMap<>();

    private static int key(String name) {
        return KEY_OF.computeIfAbsent(name, n -> KEY_BASE + (KEYS.incrementAndGet() & 0xFF));
    }

    @Override
    protected List<PermissionSubject> subjects() throws Exception {
        Path fifos = OtherUser.readableDirectory("ipc4j-perm-fifo-");
        return List.of(
                PermissionSubject.of("mq", Type.QUEUE, n -> "mq:/" + n + "?create&capacity=4&maxMessageSize=64")
                        .mode(n -> ObjectMode.ofPosixQueue("/" + n))
                        .noFile("an mq: queue lives in the mqueue filesystem, which refuses links (EPERM)")
                        .unlinkAttempt(n -> Attempt.unlinkBy(UNLINK + "mq", "/" + n)),
                PermissionSubject.of("sem", Type.SEMAPHORE, n -> "sem:/" + n + "?create&initial=0")
                        .file(n -> Path.of("/dev/shm/sem." + n))
                        .unlinkAttempt(n -> Attempt.unlinkBy(UNLINK + "sem", "/" + n)),
                PermissionSubject.of("sysvmq", Type.QUEUE, n -> "sysvmq:" + key(n) + "?create&maxMessageSize=64")
                        .mode(n -> ObjectMode.ofSysvQueue(key(n)))
                        .noFile("a SysV queue is a kernel object with a key, no path")
                        .unlinkAttempt(n -> Attempt.unlinkBy(UNLINK + "sysvmq", String.valueOf(key(n)))),
                PermissionSubject.of("sysvsem", Type.SEMAPHORE, n -> "sysvsem:" + key(n) + "?create&initial=0")
                        .mode(n -> ObjectMode.ofSysvSemaphore(key(n)))
                        .noFile("a SysV semaphore is a kernel object with a key, no path")
                        // without undo: with SEM_UNDO the other user's release is undone when its JVM exits
                        .use(n -> Attempt.denied("open to release", "semaphore-release",
                                "sysvsem:" + key(n) + "?undo=false"))
                        .unlinkAttempt(n -> Attempt.unlinkBy(UNLINK + "sysvsem", String.valueOf(key(n)))),
                PermissionSubject.of("fifo", Type.FIFO, n -> "fifo:" + fifos.resolve(n) + "?create&read")
                        .file(n -> fifos.resolve(n))
                        .attempts(n -> List.of(
                                Attempt.denied("open the write end and send", "connect-send",
                                        "fifo:" + fifos.resolve(n) + "?write&timeout=5s"),
                                Attempt.denied("open the read end and receive", "connect-receive",
                                        "fifo:" + fifos.resolve(n) + "?read")))
                        .use(n -> Attempt.denied("open the write end and send", "connect-send",
                                "fifo:" + fifos.resolve(n) + "?write&timeout=5s")));
    }
}
