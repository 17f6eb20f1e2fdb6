package org.ipc4j.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.MessageQueue;

/**
 * One side of a message conversation, over a {@link Channel}, a {@link MessageQueue} or a pair of
 * them (one to send on, one to receive from).
 */
interface Endpoint extends AutoCloseable {
    /** Schemes whose addresses name a message queue rather than a channel. */
    Set<String> QUEUE_SCHEMES = Set.of("mq", "sysvmq");

    /** Sends one message. */
    void send(ByteBuffer message, Duration timeout) throws IOException;

    /** Receives one message; -1 at end of stream; {@link IpcTimeoutException} after {@code timeout}. */
    int receive(ByteBuffer dst, Duration timeout) throws IOException;

    /** The largest message. */
    int maxMessageSize();

    @Override
    void close() throws IOException;

    /** True if {@code address} is opened as a queue: by scheme, or when {@code forceQueue}. */
    static boolean isQueue(String address, boolean forceQueue) throws IOException {
        return forceQueue || QUEUE_SCHEMES.contains(IpcAddress.parse(address).scheme());
    }

    /** Opens {@code address} as a queue or a connected channel. */
    static Endpoint open(String address, boolean forceQueue) throws IOException {
        if (isQueue(address, forceQueue)) {
            return of(Ipc.openQueue(address));
        }
        return of(Ipc.connect(address));
    }

    /** Listens at {@code address}, reports the bound address, and accepts one peer. */
    static Endpoint accept(String address, Duration timeout, java.util.function.Consumer<String> bound)
            throws IOException {
        try (ChannelListener listener = Ipc.listen(address)) {
            bound.accept(listener.address());
            return of(timeout == null ? listener.accept() : listener.accept(timeout));
        }
    }

    static Endpoint of(Channel c) {
        return new Endpoint() {
            @Override
            public void send(ByteBuffer m, Duration t) throws IOException {
                if (t == null) {
                    c.send(m);
                } else {
                    c.send(m, t);
                }
            }

            @Override
            public int receive(ByteBuffer dst, Duration t) throws IOException {
                return t == null ? c.receive(dst) : c.receive(dst, t);
            }

            @Override
            public int maxMessageSize() {
                return c.maxMessageSize();
            }

            @Override
            public void close() throws IOException {
                c.close();
            }

            @Override
            public String toString() {
                return c.address();
            }
        };
    }

    static Endpoint of(MessageQueue q) {
        return new Endpoint() {
            @Override
            public void send(ByteBuffer m, Duration t) throws IOException {
                if (t == null) {
                    q.send(m, 0);
                } else {
                    q.send(m, 0, t);
                }
            }

            @Override
            public int receive(ByteBuffer dst, Duration t) throws IOException {
                return (t == null ? q.receive(dst) : q.receive(dst, t)).length();
            }

            @Override
            public int maxMessageSize() {
                return q.maxMessageSize();
            }

            @Override
            public void close() throws IOException {
                q.close();
            }

            @Override
            public String toString() {
                return q.address();
            }
        };
    }

    /** Sends on {@code out}, receives from {@code in}; closes both. */
    static Endpoint pair(Endpoint out, Endpoint in) {
        return new Endpoint() {
            @Override
            public void send(ByteBuffer m, Duration t) throws IOException {
                out.send(m, t);
            }

            @Override
            public int receive(ByteBuffer dst, Duration t) throws IOException {
                return in.receive(dst, t);
            }

            @Override
            public int maxMessageSize() {
                return Math.min(out.maxMessageSize(), in.maxMessageSize());
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                } finally {
                    in.close();
                }
            }
        };
    }
}
