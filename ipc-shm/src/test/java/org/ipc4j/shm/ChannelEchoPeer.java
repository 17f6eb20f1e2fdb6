package org.ipc4j.shm;

import java.nio.ByteBuffer;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;

/** Connects to args[0] and echoes every message until end of stream. */
public final class ChannelEchoPeer {
    private ChannelEchoPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (Channel channel = Ipc.connect(args[0])) {
            PeerMain.ready();
            ByteBuffer buffer = ByteBuffer.allocateDirect(channel.maxMessageSize());
            long count = 0;
            while (true) {
                buffer.clear();
                if (channel.receive(buffer) < 0) {
                    break;
                }
                buffer.flip();
                channel.send(buffer);
                count++;
            }
            PeerMain.say("ECHOED " + count);
        }
    }
}
