package org.ipc4j.socket;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.leak.LeakCase;
import org.ipc4j.testkit.leak.LeakCheck;
import org.ipc4j.testkit.leak.LeakContract;
import org.ipc4j.testkit.leak.LeakCycles;

/**
 * The leak suite for every ipc-socket transport: TCP, UDP, Unix stream (path, abstract name, both
 * implementations) and Unix datagram sockets, as listen/connect/accept cycles and as accept cycles
 * on one listener. Socket directories are watched: a socket file or private bind directory left
 * behind is a leak. Each cycle sends a message each way, which opens the selectors of timed waits.
 */
class SocketLeakTest extends LeakContract {

    @Override
    protected List<LeakCase> leakCases() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path unix = Files.createDirectories(TestPaths.dir().resolve("leak-unix"));
        Path junix = Files.createDirectories(TestPaths.dir().resolve("leak-junix"));
        Path accept = Files.createDirectories(TestPaths.dir().resolve("leak-accept"));
        Path gram = Files.createDirectories(TestPaths.dir().resolve("leak-gram"));
        int a = freeUdpPort();
        int b = freeUdpPort();
        return List.of(
                LeakCase.of(LeakCheck.of("tcp listen, connect, accept"),
                        LeakCycles.listenConnectAccept("tcp://127.0.0.1:0")),
                LeakCase.around(LeakCheck.of("tcp accept cycles on one listener"),
                        () -> Ipc.listen("tcp://127.0.0.1:0"), LeakCycles::connectAccept),
                LeakCase.of(LeakCheck.of("udp pair"), LeakCycles.pair(
                        "udp://127.0.0.1:" + b + "?bind=127.0.0.1:" + a, "udp://127.0.0.1:" + a + "?bind=127.0.0.1:" + b)),
                LeakCase.of(LeakCheck.of("unix listen, connect, accept").watching(unix),
                        LeakCycles.listenConnectAccept("unix:" + unix.resolve("s"))),
                LeakCase.of(LeakCheck.of("unix (junixsocket) listen, connect, accept").watching(junix),
                        LeakCycles.listenConnectAccept("unix:" + junix.resolve("s") + "?impl=junixsocket")),
                LeakCase.of(LeakCheck.of("unix abstract listen, connect, accept"),
                        LeakCycles.listenConnectAccept("unix:@ipc4j-leak-" + pid)),
                LeakCase.around(LeakCheck.of("unix accept cycles on one listener").watching(accept),
                        () -> Ipc.listen("unix:" + accept.resolve("s")), LeakCycles::connectAccept),
                // each end connects to the other's path, retrying every millisecond until the other has
                // bound it: a cycle takes about 2.5 ms, so 2,000 cycles rather than 10,000
                LeakCase.of(LeakCheck.of("unixgram pair").watching(gram).cycles(2_000), LeakCycles.pair(
                        "unixgram:" + gram.resolve("b") + "?bind=" + gram.resolve("a"),
                        "unixgram:" + gram.resolve("a") + "?bind=" + gram.resolve("b"))));
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
