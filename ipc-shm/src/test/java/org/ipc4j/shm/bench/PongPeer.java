package org.ipc4j.shm.bench;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.MessageHandler;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/**
 * The far side of {@link PingPongBench}: args[0] "shm" (a receive per message), "shm-drain"
 * ({@link Channel#drain} in batches, each message handled in place), "agrona", "agrona-many"
 * (both rings ManyToOneRingBuffer) or "agrona-copy" (whose handler copies each message into a buffer,
 * as a channel's receive does), args[1] the address. Echoes
 * every message; a message of length 1 starts counting: it then swallows args[2] messages and
 * answers the last one (one-way throughput).
 */
public final class PongPeer {
    private PongPeer() {
    }

    public static void main(String[] args) throws Exception {
        long burst = Long.parseLong(args[2]);
        if (args[0].equals("shm-drain")) {
            try (Channel c = Ipc.connect(args[1])) {
                PeerMain.ready();
                long[] counting = {-1};
                MessageHandler echo = m -> {
                    if (counting[0] > 0) {
                        if (--counting[0] == 0) {
                            c.send(m);   // the burst's last message answers it
                            counting[0] = -1;
                        }
                    } else if (m.remaining() == 1) {
                        counting[0] = burst;
                    } else {
                        c.send(m);
                    }
                };
                while (c.drain(echo, Integer.MAX_VALUE) >= 0) {
                    // the handler does the work
                }
                return;
            }
        }
        if (args[0].equals("shm")) {
            try (Channel c = Ipc.connect(args[1])) {
                PeerMain.ready();
                ByteBuffer b = ByteBuffer.allocateDirect(c.maxMessageSize());
                while (true) {
                    b.clear();
                    int n = c.receive(b);
                    if (n < 0) {
                        return;
                    }
                    if (n == 1) {
                        for (long i = 0; i < burst; i++) {
                            b.clear();
                            c.receive(b);
                        }
                    }
                    b.flip();
                    c.send(b);
                }
            }
        }
        try (SharedRegion r = Ipc.openRegion(args[1])) {
            ByteBuffer all = r.asByteBuffer();
            int half = all.capacity() / 2;
            boolean many = args[0].equals("agrona-many");
            RingBuffer in = many ? new ManyToOneRingBuffer(new UnsafeBuffer(all, 0, half))
                    : new OneToOneRingBuffer(new UnsafeBuffer(all, 0, half));
            RingBuffer out = many ? new ManyToOneRingBuffer(new UnsafeBuffer(all, half, half))
                    : new OneToOneRingBuffer(new UnsafeBuffer(all, half, half));
            PeerMain.ready();
            long[] counting = {-1};
            boolean copy = args[0].equals("agrona-copy");
            UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(half));
            while (true) {
                in.read((type, buffer, index, length) -> {
                    if (copy) {
                        buffer.getBytes(index, sink, 0, length);
                    }
                    if (type == 2) {
                        counting[0] = Long.MIN_VALUE;   // stop
                    } else if (counting[0] > 0) {
                        if (--counting[0] == 0) {
                            while (!out.write(1, buffer, index, length)) {
                                Thread.onSpinWait();
                            }
                            counting[0] = -1;
                        }
                    } else if (length == 1) {
                        counting[0] = burst;
                    } else {
                        while (!out.write(1, buffer, index, length)) {
                            Thread.onSpinWait();
                        }
                    }
                });   // default limit: reads a batch, as Agrona users do
                if (counting[0] == Long.MIN_VALUE) {
                    return;
                }
            }
        }
    }
}
