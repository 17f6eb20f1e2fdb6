package org.ipc4j.examples.rpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;

/**
 * A request/response service over a Unix stream socket: each request is one message, each reply is
 * the request in upper case. One thread per client: a virtual thread on Java 21+, a platform thread
 * on Java 17.
 */
public final class RpcServer implements AutoCloseable {
    /** The largest request served. */
    public static final int MAX_REQUEST = 64 * 1024;
    private final ChannelListener listener;
    private final Thread acceptor;
    private final AtomicLong served = new AtomicLong();

    /** Listens at {@code address} (such as {@code unix:/tmp/app.sock}) and starts serving. */
    public RpcServer(String address) throws IOException {
        listener = Ipc.listen(address);
        acceptor = new Thread(this::acceptLoop, "rpc-acceptor");
        acceptor.start();
    }

    /** The address clients connect to. */
    public String address() {
        return listener.address();
    }

    /** Requests answered so far. */
    public long served() {
        return served.get();
    }

    private void acceptLoop() {
        while (true) {
            Channel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;   // closed
            }
            startThread(() -> serve(client));
        }
    }

    private void serve(Channel client) {
        try (client) {
            // one buffer per client: Channel.receive() would allocate maxMessageSize bytes per message
            ByteBuffer buffer = ByteBuffer.allocate(MAX_REQUEST);
            while (true) {
                buffer.clear();
                if (client.receive(buffer) < 0) {
                    return;   // the client is done
                }
                String reply = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
                        .toUpperCase(Locale.ROOT);
                served.incrementAndGet();   // before the reply, so a client that has it is counted
                client.send(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            System.err.println("rpc server: client failed: " + e.getMessage());
        }
    }

    /** A virtual thread where the JDK has them (21+), else a platform thread. */
    static Thread startThread(Runnable task) {
        try {
            return (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, task);
        } catch (ReflectiveOperationException e) {
            Thread t = new Thread(task, "rpc-client");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }

    /** True if this JVM runs clients on virtual threads. */
    static boolean virtualThreads() {
        try {
            Thread.class.getMethod("startVirtualThread", Runnable.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
