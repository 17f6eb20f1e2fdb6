package org.ipc4j.socket.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds the descriptor number of a JDK TCP or UDP socket, which the JDK does not tell (its
 * {@code getFDVal} is in a package it does not open): of this process's descriptors
 * ({@code /proc/self/fd}), the one whose {@code getsockname} (and, for a connected socket,
 * {@code getpeername}) are the channel's local and remote addresses. A connected TCP socket's four
 * values are unique; a bound UDP port is held by one socket (no {@code SO_REUSEPORT} here). The
 * channel must stay open meanwhile, so its number cannot be reused under the search.
 */
public final class JdkSocketDescriptor {
    private static final int SOCKADDR_ROOM = 128;
    private static final short AF_INET = 2;
    private static final short AF_INET6 = 10;

    private JdkSocketDescriptor() {
    }

    /**
     * @param local the socket's bound address ({@code getLocalAddress()})
     * @param remote its connected peer, or null if it is not connected
     * @return the descriptor number
     * @throws IOException if no descriptor of this process has those addresses
     */
    public static int find(SocketAddress local, SocketAddress remote) throws IOException {
        InetSocketAddress mine = (InetSocketAddress) local;
        InetSocketAddress peer = (InetSocketAddress) remote;
        Memory address = new Memory(SOCKADDR_ROOM);
        Memory length = new Memory(4);
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : fds) {
                int fd;
                try {
                    fd = Integer.parseInt(entry.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                length.setInt(0, SOCKADDR_ROOM);
                if (DescriptorCalls.getsockname(fd, Pointer.nativeValue(address), Pointer.nativeValue(length)) != 0
                        || !same(address, mine)) {
                    continue;
                }
                if (peer != null) {
                    length.setInt(0, SOCKADDR_ROOM);
                    if (DescriptorCalls.getpeername(fd, Pointer.nativeValue(address), Pointer.nativeValue(length)) != 0
                            || !same(address, peer)) {
                        continue;
                    }
                }
                return fd;
            }
        }
        throw new IOException("no descriptor of this process is the socket " + local + " -> " + remote);
    }

    /** Whether a kernel sockaddr_in or sockaddr_in6 is the given address and port. */
    private static boolean same(Memory sockaddr, InetSocketAddress expected) {
        short family = sockaddr.getShort(0);
        int port = ((sockaddr.getByte(2) & 0xff) << 8) | (sockaddr.getByte(3) & 0xff);
        if (port != expected.getPort()) {
            return false;
        }
        byte[] want = expected.getAddress().getAddress();
        if (family == AF_INET && want.length == 4) {
            return Arrays.equals(sockaddr.getByteArray(4, 4), want);
        }
        if (family == AF_INET6 && want.length == 16) {
            return Arrays.equals(sockaddr.getByteArray(8, 16), want);
        }
        return false;
    }
}
