package org.ipc4j.testkit.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerMain;

/**
 * Runs inside {@link FullTmpfs}: fills the directory {@code args[0]} (data blocks, then inodes),
 * says {@code FULL files=<n> bytes=<n>}, then opens {@code args[2]} as {@code args[1]}
 * ({@code region}, {@code queue}, {@code semaphore}, {@code listen} or {@code connect}) and says
 * either {@code REFUSED <exception class> ipc=<true if an IpcException> <message>} or, if the open
 * succeeded, {@code OPENED <object>}; an opened region is then written in full (a mapping without space
 * behind it would fault here) and {@code WROTE} follows. Exits 0 in every such case.
 */
public final class FullTmpfsPeer {
    private FullTmpfsPeer() {
    }

    /** @param args directory, kind, address */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long files = 0;
        long bytes = 0;
        byte[] chunk = new byte[16 << 10];
        while (files < 100_000) {
            Path f = dir.resolve(".fill-" + files);
            try (OutputStream out = Files.newOutputStream(f)) {
                files++;
                while (true) {
                    out.write(chunk);
                    bytes += chunk.length;
                }
            } catch (IOException e) {
                if (!Files.exists(f)) {
                    break;   // no inode left either: full
                }
            }
        }
        PeerMain.say("FULL files=" + files + " bytes=" + bytes);
        String kind = args[1];
        String address = args[2];
        try {
            switch (kind) {
                case "region":
                    try (SharedRegion r = Ipc.openRegion(address)) {
                        PeerMain.say("OPENED " + r);
                        for (long i = 0; i + 8 <= r.size(); i += 8) {
                            r.putLong(i, i);
                        }
                        PeerMain.say("WROTE");
                    }
                    break;
                case "queue":
                    try (MessageQueue q = Ipc.openQueue(address)) {
                        PeerMain.say("OPENED " + q);
                    }
                    break;
                case "semaphore":
                    try (Semaphore s = Ipc.openSemaphore(address)) {
                        PeerMain.say("OPENED " + s);
                    }
                    break;
                case "listen":
                    try (ChannelListener l = Ipc.listen(address)) {
                        PeerMain.say("OPENED " + l.address());
                    }
                    break;
                case "connect":
                    try (Channel c = Ipc.connect(address)) {
                        PeerMain.say("OPENED " + c.address());
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown kind '" + kind
                            + "'; accepted: region, queue, semaphore, listen, connect");
            }
        } catch (IOException e) {
            PeerMain.say("REFUSED " + e.getClass().getName() + " ipc=" + (e instanceof IpcException) + " "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }
}
