package org.ipc4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.Ipc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ipc send} in this JVM and {@code ipc recv} in a child JVM, through each scheme whose provider
 * is on the class path; the others are skipped with the reason.
 */
@Timeout(60)
class SendRecvTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Path dir;

    @BeforeAll
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("ipc4j-sr-");
    }

    @AfterAll
    static void removeDir() throws Exception {
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static String unique() {
        return "ipc4j-sr-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    private static void assumeScheme(String scheme) {
        assumeTrue(Ipc.schemes().contains(scheme), "no provider for scheme '" + scheme + ":' on the class path");
    }

    /** recv --listen in the child; send to the address it reports. */
    private static void listenRoundTrip(String listenAddress) throws Exception {
        try (Cli.Child recv = new Cli.Child("recv", "--listen", listenAddress, "--count", "1", "--timeout", "30s")) {
            String bound = recv.awaitErr("listening on ", WAIT).substring("listening on ".length());
            Cli.Result sent = Cli.run("send", bound, "hello over " + bound);
            assertEquals(0, sent.code(), sent.toString());
            Cli.Result got = recv.await(WAIT);
            assertEquals(0, got.code(), got.toString());
            assertEquals("hello over " + bound + "\n", got.out());
        }
    }

    /**
     * recv -v in one child on {@code recvAddress}, ipc send in another on {@code sendAddress} reading the
     * message from its standard input once the receiver is open; the input stays open (and so the sender's end, which a datagram
     * receiver connects to) until the receiver is done.
     */
    private static void pairRoundTrip(String recvAddress, String sendAddress) throws Exception {
        try (Cli.Child recv = new Cli.Child("recv", "-v", recvAddress, "--count", "1", "--timeout", "30s", "--json");
             Cli.Child send = new Cli.Child("send", sendAddress, "-")) {
            recv.awaitErr("opened ", WAIT);   // a Unix datagram receiver opens once the sender has bound
            var toSend = send.process.getOutputStream();
            toSend.write("ping\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            toSend.flush();
            Cli.Result got = recv.await(WAIT);
            toSend.close();
            assertEquals(0, got.code(), got.toString());
            assertEquals("{\"index\":0,\"length\":4,\"text\":\"ping\"}\n", got.out());
            Cli.Result sent = send.await(WAIT);
            assertEquals(0, sent.code(), sent.toString());
        }
    }

    /** send into a queue (creating it) here; recv in the child; the queue is removed with ipc rm. */
    private static void queueRoundTrip(String address, String createQuery, String... flags) throws Exception {
        String[] send = concat(new String[] {"send", address + createQuery, "queued message"}, flags);
        Cli.Result sent = Cli.run(send);
        try {
            assertEquals(0, sent.code(), sent.toString());
            try (Cli.Child recv = new Cli.Child(concat(new String[] {"recv", address, "--timeout", "20s"}, flags))) {
                Cli.Result got = recv.await(WAIT);
                assertEquals(0, got.code(), got.toString());
                assertEquals("queued message\n", got.out());
            }
        } finally {
            Cli.run("rm", address);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void tcp() throws Exception {
        assumeScheme("tcp");
        listenRoundTrip("tcp://127.0.0.1:0");
    }

    @Test
    void unix() throws Exception {
        assumeScheme("unix");
        listenRoundTrip("unix:" + dir.resolve("s" + COUNTER.incrementAndGet() + ".sock"));
    }

    @Test
    void unixWithJdkImpl() throws Exception {
        assumeScheme("unix");
        listenRoundTrip("unix:" + dir.resolve("j" + COUNTER.incrementAndGet() + ".sock") + "?impl=jdk");
    }

    @Test
    void udp() throws Exception {
        assumeScheme("udp");
        int a = freeUdpPort();
        int b = freeUdpPort();
        pairRoundTrip("udp://127.0.0.1:" + a + "?bind=127.0.0.1:" + b, "udp://127.0.0.1:" + b + "?bind=127.0.0.1:" + a);
    }

    @Test
    void unixgram() throws Exception {
        assumeScheme("unixgram");
        Path a = dir.resolve("ga" + COUNTER.incrementAndGet() + ".sock");
        Path b = dir.resolve("gb" + COUNTER.incrementAndGet() + ".sock");
        pairRoundTrip("unixgram:" + a + "?bind=" + b, "unixgram:" + b + "?bind=" + a);
    }

    @Test
    void fifoPair() throws Exception {
        assumeScheme("fifo");
        Path f = dir.resolve("f" + COUNTER.incrementAndGet());
        try {
            pairRoundTrip("fifo:" + f + "?create&side=a", "fifo:" + f + "?create&side=b");
        } finally {
            Files.deleteIfExists(Path.of(f + ".a2b"));
            Files.deleteIfExists(Path.of(f + ".b2a"));
        }
    }

    @Test
    void fifoOneWay() throws Exception {
        assumeScheme("fifo");
        Path f = dir.resolve("w" + COUNTER.incrementAndGet());
        try {
            pairRoundTrip("fifo:" + f + "?create&read", "fifo:" + f + "?create&write");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void shmChannel() throws Exception {
        assumeScheme("shm");
        listenRoundTrip("shm:/" + unique() + "?create");
    }

    @Test
    void posixQueue() throws Exception {
        assumeScheme("mq");
        queueRoundTrip("mq:/" + unique(), "?create&capacity=4&maxMessageSize=1024");
    }

    @Test
    void sysvQueue() throws Exception {
        assumeScheme("sysvmq");
        int key = 0x1c500000 + (int) (ProcessHandle.current().pid() & 0xfffff) * 8 + COUNTER.incrementAndGet() % 8;
        String address = "sysvmq:" + key;
        Cli.Result sent = Cli.run("send", address + "?create", "queued message");
        try {
            assertEquals(0, sent.code(), sent.toString());
            try (Cli.Child recv = new Cli.Child("recv", address, "--timeout", "20s")) {
                Cli.Result got = recv.await(WAIT);
                assertEquals(0, got.code(), got.toString());
                assertEquals("queued message\n", got.out());
            }
        } finally {
            Cli.run("rm", "sysvmq:0x" + Integer.toHexString(key));
        }
    }

    @Test
    void shmQueue() throws Exception {
        assumeScheme("shm");
        queueRoundTrip("shm:/" + unique(), "?create&capacity=8&maxMessageSize=1024", "--queue");
    }
}
