package org.ipc4j.testkit.channel;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.spi.IpcProvider;

/**
 * The kit's own cross-process channel backend, scheme {@code kit-unix:/path/to/socket}: see
 * {@link ChannelSocket}. Test scope only. Scheme {@code kit-unix-deaf:} is the same with one fault,
 * for the broken-backend tests: a channel never reports end of stream, so a dead peer goes unnoticed.
 */
public final class ChannelSocketProvider implements IpcProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ChannelSocketProvider() {
    }

    private static final String DEAF = "kit-unix-deaf";

    @Override
    public String name() {
        return "kit-unix";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("kit-unix", DEAF);
    }

    @Override
    public int priority() {
        return -200;
    }

    @Override
    public Channel connect(IpcAddress address) throws IOException {
        address.checkKeys();
        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
        s.connect(UnixDomainSocketAddress.of(address.name()));
        return new ChannelSocket(s, address.text(), address.scheme().equals(DEAF));
    }

    @Override
    public ChannelListener listen(IpcAddress address) throws IOException {
        address.checkKeys();
        Path path = Path.of(address.name());
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        String text = address.text();
        boolean deaf = address.scheme().equals(DEAF);
        return new ChannelListener() {
            @Override
            public String address() {
                return text;
            }

            @Override
            public Channel accept() throws IOException {
                return accept(Duration.ofDays(365));
            }

            @Override
            public synchronized Channel accept(Duration timeout) throws IOException {
                if (!server.isOpen()) {
                    throw new ChannelClosedException(text);
                }
                server.configureBlocking(false);
                try (Selector selector = Selector.open()) {
                    server.register(selector, SelectionKey.OP_ACCEPT);
                    long deadline = System.nanoTime() + timeout.toNanos();
                    while (true) {
                        SocketChannel s = server.accept();
                        if (s != null) {
                            s.configureBlocking(true);
                            return new ChannelSocket(s, text, deaf);
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new IpcTimeoutException(text, "accept", timeout);
                        }
                        selector.select(Math.max(1, left / 1_000_000));
                        if (!server.isOpen()) {
                            throw new AsyncClosedException(text);
                        }
                    }
                }
            }

            @Override
            public boolean isOpen() {
                return server.isOpen();
            }

            @Override
            public void close() throws IOException {
                server.close();
                Files.deleteIfExists(path);
            }
        };
    }
}
