package org.ipc4j.socket.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.ipc4j.AsyncClosedException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelClosedException;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.PermissionDeniedException;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts stream channels (TCP or Unix) on a bound, non-blocking server socket. */
public final class StreamListener implements ChannelListener {
    private static final Logger LOG = LoggerFactory.getLogger(StreamListener.class);

    /** How accepted sockets become channels. */
    @FunctionalInterface
    public interface Configurer {
        /** Turns an accepted socket into a channel. */
        Channel configure(SocketChannel accepted) throws IOException;
    }

    private final String address;
    private final ServerSocketChannel server;
    private final Configurer configurer;
    private final Set<Integer> allowedUids;
    private final UnixPaths.Placed placed;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Readiness acceptable;
    private volatile boolean closed;

    /**
     * @param address the address peers connect to, with the bound port filled in
     * @param server a bound server socket; switched to non-blocking here
     * @param configurer makes the channel of an accepted socket
     * @param allowedUids uids accepted ({@code allowUid}); empty to accept anyone
     * @param placed the socket file to remove on close, or null
     */
    public StreamListener(String address, ServerSocketChannel server, Configurer configurer, Set<Integer> allowedUids,
            UnixPaths.Placed placed) throws IOException {
        this.address = address;
        this.server = server;
        this.configurer = configurer;
        this.allowedUids = java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(allowedUids));
        this.placed = placed;
        server.configureBlocking(false);
        this.acceptable = new Readiness(server, SelectionKey.OP_ACCEPT);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public Channel accept() throws IOException {
        return accept(Readiness.NO_DEADLINE, null);
    }

    @Override
    public Channel accept(Duration timeout) throws IOException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = -1;
        }
        return accept(Readiness.deadline(nanos), timeout);
    }

    private Channel accept(long deadline, Duration timeout) throws IOException {
        if (closed) {
            throw new ChannelClosedException(address);
        }
        try {
            acceptLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("accept on '" + address + "' interrupted");
        }
        try {
            while (true) {
                if (closed) {
                    throw new ChannelClosedException(address);
                }
                SocketChannel socket;
                try {
                    socket = server.accept();
                } catch (AsynchronousCloseException e) {
                    throw new AsyncClosedException(address);
                } catch (ClosedChannelException e) {
                    throw closed ? new AsyncClosedException(address) : e;
                }
                if (socket != null) {
                    return admit(socket);
                }
                if (!acceptable.await(deadline)) {
                    throw new IpcTimeoutException(address, "accept", timeout);
                }
                if (closed) {
                    throw new AsyncClosedException(address);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("accept on '" + address + "' interrupted; the listener stays open");
                }
            }
        } finally {
            acceptLock.unlock();
        }
    }

    private Channel admit(SocketChannel socket) throws IOException {
        try {
            if (!allowedUids.isEmpty()) {
                // checked before a single byte is read from the peer
                AFUNIXSocketCredentials c = ((AFUNIXSocketChannel) socket).getPeerCredentials();
                int uid = c == null ? -1 : (int) c.getUid();
                if (!allowedUids.contains(uid)) {
                    long pid = c == null ? -1 : c.getPid();
                    LOG.warn("refused a peer on {}: uid={} pid={} is not in allowUid={}", address, uid, pid, allowedUids);
                    socket.close();
                    throw new PermissionDeniedException(address, "refused a peer on '" + address + "': uid=" + uid
                            + " (pid=" + pid + ") is not in allowUid=" + allowedUids + "; the connection was closed"
                            + " unread and the listener stays open");
                }
            }
            return configurer.configure(socket);
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        acceptable.shutdown();
        try {
            server.close();
        } finally {
            if (placed != null) {
                placed.remove();
            }
            acceptLock.lock();
            try {
                acceptable.close();
            } finally {
                acceptLock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "StreamListener[" + address + (closed ? ", closed" : "") + "]";
    }
}
