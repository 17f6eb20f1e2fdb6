package org.ipc4j.socket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipc4j.socket.peer.NetPeer;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.Test;

/**
 * Across hosts for real: two network namespaces joined by a veth pair (192.0.2.1 and 192.0.2.2, the
 * TEST-NET-1 documentation range), with a peer JVM in each through {@code ip netns exec}. The
 * namespaces and links are removed in finally, even when the test fails.
 */
class CrossHostTest {
    static final Duration T = Duration.ofSeconds(60);

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    static boolean quietly(String... command) {
        try {
            run(command);
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void tcpAndUdpBetweenTwoNetworkNamespaces() throws Exception {
        assumeTrue(quietly("ip", "netns", "list"), "ip netns is not usable here");
        long pid = ProcessHandle.current().pid() % 100_000;
        String a = "ipc4j-a" + pid;
        String b = "ipc4j-b" + pid;
        String va = "i4a" + pid;
        String vb = "i4b" + pid;
        List<PeerJvm> peers = new ArrayList<>();
        try {
            run("ip", "netns", "add", a);
            run("ip", "netns", "add", b);
            run("ip", "link", "add", va, "type", "veth", "peer", "name", vb);
            run("ip", "link", "set", va, "netns", a);
            run("ip", "link", "set", vb, "netns", b);
            run("ip", "-n", a, "addr", "add", "192.0.2.1/24", "dev", va);
            run("ip", "-n", b, "addr", "add", "192.0.2.2/24", "dev", vb);
            for (String[] ns : new String[][] {{a, va}, {b, vb}}) {
                run("ip", "-n", ns[0], "link", "set", "lo", "up");
                run("ip", "-n", ns[0], "link", "set", ns[1], "up");
            }

            PeerJvm server = PeerJvm.builder(NetPeer.class).name("netns-a").wrapper("ip", "netns", "exec", a)
                    .args("listen", "tcp://192.0.2.1:0").start();
            peers.add(server);
            String bound = server.awaitLineStartingWith("LISTENING ", T).substring("LISTENING ".length());
            PeerJvm client = PeerJvm.builder(NetPeer.class).name("netns-b").wrapper("ip", "netns", "exec", b)
                    .args("connect", bound, "200").start();
            peers.add(client);
            client.awaitLine("OK 200"::equals, T);
            client.assertExit(0, T);
            server.awaitLine("ECHOED 200"::equals, T);
            server.assertExit(0, T);

            int pa = 40_000 + (int) (pid % 10_000);
            int pb = pa + 1;
            PeerJvm udpB = PeerJvm.builder(NetPeer.class).name("udp-b").wrapper("ip", "netns", "exec", b)
                    .args("udp", "udp://192.0.2.1:" + pa + "?bind=192.0.2.2:" + pb, "1").start();
            peers.add(udpB);
            udpB.awaitReady(T);
            // the test JVM is in neither namespace: a peer in a pings the one in b over the veth pair
            PeerJvm pinger = PeerJvm.builder(Pinger.class).name("ping-a").wrapper("ip", "netns", "exec", a)
                    .args("udp://192.0.2.2:" + pb + "?bind=192.0.2.1:" + pa).start();
            peers.add(pinger);
            pinger.awaitLine("PONG ping 1"::equals, T);
            udpB.awaitLine("ANSWERED 1"::equals, T);
            pinger.assertExit(0, T);
        } finally {
            peers.forEach(PeerJvm::close);
            quietly("ip", "netns", "del", a);
            quietly("ip", "netns", "del", b);
            quietly("ip", "link", "del", va);
        }
        assertEquals(false, quietly("ip", "netns", "exec", a, "true"), "namespace a was removed");
    }

    /** Sends "ping 1" until a pong arrives (UDP may lose the first while the peer binds), prints it. */
    public static final class Pinger {
        private Pinger() {
        }

        /** @param args the UDP address */
        public static void main(String[] args) throws Exception {
            try (org.ipc4j.Channel c = org.ipc4j.Ipc.connect(args[0])) {
                ByteBuffer b = ByteBuffer.allocate(100);
                for (int attempt = 0; attempt < 60; attempt++) {
                    c.send(ByteBuffer.wrap("ping 1".getBytes(UTF_8)));
                    try {
                        b.clear();
                        int n = c.receive(b, Duration.ofSeconds(1));
                        org.ipc4j.testkit.PeerMain.say("PONG " + new String(b.array(), 0, n, UTF_8).replace("pong", "ping"));
                        return;
                    } catch (org.ipc4j.IpcTimeoutException e) {
                        // lost or not yet bound: UDP promises nothing, so ask again
                    }
                }
                throw new AssertionError("no pong within 60 attempts");
            }
        }
    }
}
