package org.ipc4j.shm.internal;

import java.nio.ByteBuffer;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.PeerMain;

/** Connects to args[0], says its thread id, then blocks in receive until end of stream. */
public final class IdleReceiverPeer {
    private IdleReceiverPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (Channel channel = Ipc.connect(args[0])) {
            long tid = LibC.syscall("aarch64".equals(System.getProperty("os.arch")) ? 178 : 186, 0, 0, 0, 0, 0, 0);
            PeerMain.say("TID " + tid);
            int n = channel.receive(ByteBuffer.allocate(channel.maxMessageSize()));
            PeerMain.say("GOT " + n);
        }
    }
}
