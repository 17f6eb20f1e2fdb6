package org.ipc4j.testkit.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipc4j.testkit.Peer;
import org.ipc4j.testkit.PeerJvm;

/**
 * A peer JVM that runs in a private mount namespace ({@code unshare -m}) where a small tmpfs is
 * mounted over a directory, so that it can fill the file system and try to create an object there
 * without touching the real directory. The peer runs {@link FullTmpfsPeer}.
 *
 * <p>Needs root (mount namespaces, {@code mount}) and {@code unshare} from util-linux; see
 * {@link #unavailableReason()}.
 */
public final class FullTmpfs {
    /** Size of the tmpfs: small, so that filling it is quick. */
    public static final String SIZE = "256k";
    /** Inodes of the tmpfs: few, so that an object that needs no data block (a FIFO, a socket) is refused too. */
    public static final int INODES = 64;

    private FullTmpfs() {
    }

    /** Null if a full tmpfs can be made here, else why not. */
    public static String unavailableReason() {
        if (!Files.isExecutable(Path.of("/usr/bin/unshare"))) {
            return "a full tmpfs needs /usr/bin/unshare (util-linux)";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:") && !line.split("\\s+")[1].equals("0")) {
                    return "a full tmpfs needs root to mount it in a private mount namespace";
                }
            }
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e;
        }
        return null;
    }

    /**
     * A peer that mounts a small tmpfs over {@code mountPoint} (an existing directory) in its own
     * mount namespace, fills it, then does {@code kind} (see {@link FullTmpfsPeer}) with {@code address}.
     */
    public static PeerJvm.Builder peer(Path mountPoint, String kind, String address) {
        return PeerJvm.builder(FullTmpfsPeer.class)
                .name("full-tmpfs-" + kind)
                .wrapper(List.of("/usr/bin/unshare", "-m", "sh", "-c",
                        "mount -t tmpfs -o size=" + SIZE + ",nr_inodes=" + INODES + ",mode=1777 ipc4j-full \"$0\" && exec \"$@\"",
                        mountPoint.toString()).toArray(new String[0]))
                .args(mountPoint.toString(), kind, address);
    }

    /**
     * Waits for a {@link FullTmpfsPeer} started with {@link #peer} and asserts that its creation was
     * refused with an {@code IpcException} whose message names {@code objectName}, and that it
     * exited 0 (no crash, no SIGBUS).
     *
     * @return the peer's REFUSED line
     */
    public static String assertRefused(Peer peer, String objectName, Duration limit) {
        String line = peer.awaitLine(l -> l.startsWith("REFUSED ") || l.startsWith("OPENED"), limit);
        peer.assertExit(0, limit);
        if (line.startsWith("OPENED")) {
            throw new AssertionError("creating '" + objectName + "' in a full tmpfs succeeded; expected a refusal"
                    + " (a ResourceLimitException or another IpcException naming it); output:\n"
                    + String.join("\n", peer.output()));
        }
        String[] words = line.split(" ", 4);
        if (!words[2].equals("ipc=true")) {
            throw new AssertionError("creating '" + objectName + "' in a full tmpfs threw " + words[1]
                    + ", which is not an IpcException: " + line);
        }
        if (words.length < 4 || !words[3].contains(objectName)) {
            throw new AssertionError("the refusal to create '" + objectName + "' in a full tmpfs does not name it: " + line);
        }
        System.out.println("[fault] full tmpfs: " + line);
        return line;
    }
}
