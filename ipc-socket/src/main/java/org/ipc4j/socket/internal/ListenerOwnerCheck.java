package org.ipc4j.socket.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.ipc4j.PermissionDeniedException;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;

/**
 * Refuses a Unix listener run by an unexpected user, on the client side, right after connect and
 * before any message is sent. An abstract name ({@code unix:@name}) has no file mode: any process in
 * the network namespace may bind it first, so a client checks who answered (SO_PEERCRED, the
 * listener's effective uid when it called {@code listen}). Accepted: this process's effective uid,
 * or the uids of {@code serverUid} when given (they replace it).
 */
public final class ListenerOwnerCheck {
    private final String address;
    private final Set<Integer> accepted;
    private final boolean explicit;

    /**
     * @param address the address connected to, for messages
     * @param serverUids the uids of {@code serverUid}; empty for "this process's uid"
     */
    public ListenerOwnerCheck(String address, Set<Integer> serverUids) throws IOException {
        this.address = address;
        this.explicit = !serverUids.isEmpty();
        this.accepted = Collections.unmodifiableSet(new TreeSet<>(explicit ? serverUids : Set.of(effectiveUid())));
    }

    /**
     * Checks the listener at the other end of a connected socket.
     *
     * @throws PermissionDeniedException if its uid is not accepted (the caller closes the socket)
     */
    public void check(AFUNIXSocketChannel socket) throws IOException {
        AFUNIXSocketCredentials c = socket.getPeerCredentials();
        long uid = c == null || c.isEmpty() ? -1 : c.getUid();
        if (uid >= 0 && accepted.contains((int) uid)) {
            return;
        }
        long pid = c == null ? -1 : c.getPid();
        String allowed = explicit ? "serverUid=" + accepted
                : "uid " + accepted + " (this process's; no serverUid given)";
        throw new PermissionDeniedException(address, "refused the listener at '" + address + "': it runs as uid="
                + uid + " (pid=" + pid + "); accepted: " + allowed + "; nothing was sent. An abstract name can be"
                + " bound by any user: if this listener is the right one, list its uid in ?serverUid=");
    }

    /** This process's effective uid, from /proc/self/status (the uid SO_PEERCRED reports for it). */
    static int effectiveUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                // real, effective, saved, filesystem
                return (int) Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid line in /proc/self/status: cannot tell this process's uid");
    }
}
