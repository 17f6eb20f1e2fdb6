package org.ipc4j;

/**
 * Who is on the other side of a channel, as the kernel reports it (for example {@code SO_PEERCRED}).
 *
 * @param pid the peer's process id
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 */
public record PeerCredentials(long pid, int uid, int gid) {
}
