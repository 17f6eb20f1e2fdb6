package org.ipc4j.socket.peer;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.ipc4j.Ipc;
import org.ipc4j.socket.DescriptorChannel;
import org.ipc4j.socket.PassedDescriptor;
import org.ipc4j.testkit.PeerMain;

/**
 * Connects to {@code args[0]}, receives a pipe's read end and a memfd with two messages, prints what
 * the pipe carried ({@code PIPE <text>}) and what the region holds ({@code REGION <text>}), writes 77
 * at offset 100 of the region, and answers "done".
 */
public final class FdPeer {
    private FdPeer() {
    }

    /** @param args the address */
    public static void main(String[] args) throws Exception {
        try (DescriptorChannel c = DescriptorChannel.of(Ipc.connect(args[0]))) {
            PeerMain.ready();
            PeerMain.say("GOT " + new String(c.receive(), UTF_8));
            PassedDescriptor pipe = c.receivedDescriptors().get(0);
            try (FileInputStream in = pipe.as(FileInputStream.class)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] chunk = new byte[64];
                for (int n; (n = in.read(chunk)) > 0; ) {
                    out.write(chunk, 0, n);
                }
                PeerMain.say("PIPE " + out.toString(UTF_8));
            }
            PeerMain.say("GOT " + new String(c.receive(), UTF_8));
            try (FileChannel region = c.receivedDescriptors().get(0).as(FileChannel.class)) {
                MappedByteBuffer map = region.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
                byte[] text = new byte[6];
                map.get(text);
                PeerMain.say("REGION " + new String(text, UTF_8));
                map.put(100, (byte) 77);
                map.force();
            }
            c.send(ByteBuffer.wrap("done".getBytes(UTF_8)));
        }
    }
}
