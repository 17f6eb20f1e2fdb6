package org.ipc4j.testkit.peer;

import java.nio.ByteBuffer;
import java.util.List;
import org.ipc4j.Channel;

/**
 * Connects to the address in {@code args[0]}, prints {@code READY}, and sends back every message it
 * receives until end of stream; then prints {@code ECHOED <count>} and exits 0.
 */
public final class EchoPeer {
    private EchoPeer() {
    }

    /** @param args the address to connect to */
    public static void main(String[] args) throws Exception {
        ChannelPeer.main(args, EchoPeer::run);
    }

    /** The program: echo until end of stream. Takes no arguments. */
    public static void run(Channel channel, List<String> args, ChannelPeer.Io io) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocateDirect(channel.maxMessageSize());
        long count = 0;
        while (true) {
            buffer.clear();
            int n = channel.receive(buffer);
            if (n < 0) {
                break;
            }
            buffer.flip();
            channel.send(buffer);
            count++;
        }
        io.say("ECHOED " + count);
    }
}
