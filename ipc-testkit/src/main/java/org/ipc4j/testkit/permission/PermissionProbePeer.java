package org.ipc4j.testkit.permission;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/**
 * The other user's side of the permission suite, run as nobody: tries each {@link Attempt} given as
 * pairs of arguments ({@code operation argument}) in order and reports each on one line,
 * {@code RESULT <i> DONE <detail>} or {@code RESULT <i> REFUSED <ExceptionSimpleName> ipc=<true|false> <message>},
 * then {@code FINISHED}.
 *
 * <p>An attempt that gets in also uses the object, so a widened mode is seen to work: it sends
 * {@link #OTHER_MESSAGE} (queues, channels), releases a permit, writes {@link OtherUser#UID} at offset
 * {@link #OTHER_OFFSET} of a region; {@code connect-send-await-reply} then also waits for one message
 * back before it closes (a datagram end that must stay bound until its peer answered). {@code listen-echo} listens at the address, says
 * {@code LISTENING}, accepts one connection, echoes every message until end of stream and says
 * {@code ECHOED <n>}. {@code raw-connect} connects a JDK socket to a Unix socket path, writes one framed
 * one-byte message, says {@code WRITTEN} and reads: {@code DONE RESET} (the other side closed without reading it; an end of
 * stream before the reset, from a shutdown preceding the close, is read past for up to 5 s),
 * {@code DONE EOF} or {@code DONE DATA}.
 */
public final class PermissionProbePeer {
    /** What the other user sends where it may. */
    public static final String OTHER_MESSAGE = "from uid " + OtherUser.UID;

    /** Where in a region the other user writes its uid. */
    public static final int OTHER_OFFSET = 8;

    private static final Duration T = Duration.ofSeconds(10);

    private PermissionProbePeer() {
    }

    /** @param args pairs of {@code operation argument} */
    public static void main(String[] args) {
        PeerMain.ready();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String result;
            try {
                result = "DONE " + attempt(args[i], args[i + 1]);
            } catch (Throwable t) {
                Throwable e = t instanceof InvocationTargetException ? t.getCause() : t;
                result = "REFUSED " + e.getClass().getSimpleName() + " ipc=" + (e instanceof IpcException) + " "
                        + String.valueOf(e.getMessage()).replace('\n', ' ');
            }
            PeerMain.say("RESULT " + i / 2 + " " + result);
        }
        PeerMain.say("FINISHED");
    }

    private static ByteBuffer other() {
        return ByteBuffer.wrap(OTHER_MESSAGE.getBytes(StandardCharsets.UTF_8));
    }

    private static String attempt(String operation, String argument) throws Exception {
        switch (operation) {
            case "queue-send":
                try (MessageQueue q = Ipc.openQueue(argument)) {
                    q.send(other(), 0, T);
                    return "sent";
                }
            case "queue-receive":
                try (MessageQueue q = Ipc.openQueue(argument)) {
                    return "received=" + q.tryReceive(ByteBuffer.allocate(q.maxMessageSize())).isPresent();
                }
            case "semaphore-acquire":
                try (Semaphore s = Ipc.openSemaphore(argument)) {
                    return "acquired=" + s.tryAcquire();
                }
            case "semaphore-release":
                try (Semaphore s = Ipc.openSemaphore(argument)) {
                    s.release();
                    return "released";
                }
            case "region-read":
                try (SharedRegion r = Ipc.openRegion(argument)) {
                    return "read=" + r.getLongVolatile(0);
                }
            case "region-write":
                try (SharedRegion r = Ipc.openRegion(argument)) {
                    r.putLongVolatile(OTHER_OFFSET, OtherUser.UID);
                    return "written";
                }
            case "connect-send":
                try (Channel c = Ipc.connect(argument)) {
                    c.send(other(), T);
                    return "sent";
                }
            case "connect-send-await-reply":
                try (Channel c = Ipc.connect(argument)) {
                    c.send(other(), T);
                    return "replied=" + c.receive(ByteBuffer.allocate(1 << 16), T);
                }
            case "connect-receive":
                try (Channel c = Ipc.connect(argument)) {
                    return "received=" + c.receive(ByteBuffer.allocate(1 << 16), Duration.ofMillis(200));
                }
            case "delete":
                Files.delete(Path.of(argument));
                return "deleted";
            case "invoke":
                return invoke(argument);
            case "listen-echo":
                return listenEcho(argument);
            case "raw-connect":
                return rawConnect(argument);
            default:
                throw new IllegalArgumentException("unknown probe operation: " + operation);
        }
    }

    private static String invoke(String argument) throws Exception {
        int space = argument.indexOf(' ');
        String method = argument.substring(0, space);
        int hash = method.indexOf('#');
        Object result = Class.forName(method.substring(0, hash))
                .getMethod(method.substring(hash + 1), String.class).invoke(null, argument.substring(space + 1));
        return "returned=" + result;
    }

    private static String listenEcho(String address) throws IOException {
        try (ChannelListener l = Ipc.listen(address)) {
            PeerMain.say("LISTENING " + l.address());
            try (Channel c = l.accept(Duration.ofSeconds(30))) {
                int n = 0;
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                while (true) {
                    buf.clear();
                    if (c.receive(buf, Duration.ofSeconds(30)) < 0) {
                        break;
                    }
                    n++;
                    buf.flip();
                    c.send(buf);
                }
                PeerMain.say("ECHOED " + n);
                return "echoed=" + n;
            }
        }
    }

    private static String rawConnect(String path) throws IOException {
        try (SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.connect(UnixDomainSocketAddress.of(path));
            s.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 42}));
            // in the socket before the listener accepts: the test accepts once it sees this line
            PeerMain.say("WRITTEN");
            // a listener that shuts the connection down before closing it may show end of stream first;
            // the reset (set when it closes with our byte unread) then shows on a later read
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int ends = 0;
            try {
                while (true) {
                    if (s.read(ByteBuffer.allocate(16)) >= 0) {
                        return "DATA";
                    }
                    ends++;
                    if (System.nanoTime() > deadline) {
                        return "EOF after " + ends + " reads in 5 s";
                    }
                    Thread.onSpinWait();
                }
            } catch (IOException e) {
                return "RESET after " + ends + " end(s) of stream: " + e.getMessage();
            }
        }
    }
}
