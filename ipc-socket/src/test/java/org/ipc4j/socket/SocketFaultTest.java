package org.ipc4j.socket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipc4j.testkit.contract.ChannelFixture;
import org.ipc4j.testkit.fault.ChannelFaultContract;
import org.junit.jupiter.api.Nested;

/** Every socket transport enrolled in the test kit's fault-injection suite. */
class SocketFaultTest {
    private static Path dir;

    /** A short directory for socket files, made on first use and removed when the JVM exits. */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory(Path.of("/tmp"), "ipcf");
                Path made = dir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try (java.util.stream.Stream<Path> all = Files.walk(made)) {
                        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    } catch (IOException e) {
                        // gone already
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Nested
    class Tcp extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String name) throws IOException {
            return ChannelFixture.listening("tcp://127.0.0.1:0");
        }
    }

    /** Not RELIABLE: the cases check that nothing is duplicated or damaged and that nothing hangs. */
    @Nested
    class Udp extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String name) throws IOException {
            int a = freeUdpPort();
            int b = freeUdpPort();
            return ChannelFixture.symmetric("udp://127.0.0.1:" + b + "?bind=127.0.0.1:" + a,
                    "udp://127.0.0.1:" + a + "?bind=127.0.0.1:" + b);
        }
    }

    @Nested
    class Unix extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String name) throws IOException {
            return ChannelFixture.listening("unix:" + dir() + "/" + name + "?impl=junixsocket");
        }

        @Override
        protected String creationIn(Path directory, String uniqueName) {
            return "listen unix:" + directory.resolve(uniqueName + ".sock") + "?impl=junixsocket";
        }
    }

    /** The default for paths: descriptor I/O. */
    @Nested
    class UnixNative extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String name) throws IOException {
            return ChannelFixture.listening("unix:" + dir() + "/" + name + "?impl=native");
        }

        @Override
        protected String creationIn(Path directory, String uniqueName) {
            return "listen unix:" + directory.resolve(uniqueName + ".sock") + "?impl=native";
        }
    }

    @Nested
    class UnixJdk extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String name) throws IOException {
            return ChannelFixture.listening("unix:" + dir() + "/" + name + "?impl=jdk");
        }

        @Override
        protected String creationIn(Path directory, String uniqueName) {
            return "listen unix:" + directory.resolve(uniqueName + ".sock") + "?impl=jdk";
        }
    }

    @Nested
    class Unixgram extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String name) throws IOException {
            String a = dir() + "/" + name + "a";
            String b = dir() + "/" + name + "b";
            // the wait for the peer to bind is the address's timeout (default 30 s): short, as the peer may die first
            return ChannelFixture.symmetric("unixgram:" + b + "?bind=" + a + "&timeout=3s", "unixgram:" + a + "?bind=" + b);
        }

        @Override
        protected String creationIn(Path directory, String uniqueName) {
            return "connect unixgram:" + directory.resolve("peer") + "?bind=" + directory.resolve(uniqueName);
        }
    }
}
