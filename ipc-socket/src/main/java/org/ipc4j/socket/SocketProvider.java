package org.ipc4j.socket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.ipc4j.Channel;
import org.ipc4j.Channel.Property;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.socket.internal.DatagramEndpoint;
import org.ipc4j.socket.internal.DescriptorIo;
import org.ipc4j.socket.internal.JdkSocketDescriptor;
import org.ipc4j.socket.internal.ListenerOwnerCheck;
import org.ipc4j.socket.internal.Readiness;
import org.ipc4j.socket.internal.StreamChannel;
import org.ipc4j.socket.internal.StreamListener;
import org.ipc4j.socket.internal.UnixPaths;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Sockets: {@code tcp://host:port}, {@code udp://host:port?bind=host:port}, {@code unix:/path} or
 * {@code unix:@abstract}, {@code unixgram:/path?bind=/path2}. See the module README for every key.
 *
 * <p>Keys: {@code framing=framed|raw} (stream schemes), {@code maxMessageSize} (default 16 MiB for
 * streams, 65507 for UDP, 64 KiB for Unix datagrams), {@code timeout} (connect; default 30s),
 * {@code backlog} (listeners), {@code nodelay} (TCP, default true), {@code impl=native|jdk|junixsocket}
 * ({@code unix:}; native for paths, junixsocket for abstract names), {@code allowUid=0,1000} (Unix
 * listeners: the client uids accepted), {@code serverUid=0,1000} (Unix connect: the listener uids
 * accepted; for an abstract name, without it, only this process's uid), {@code mode} (socket files,
 * default 0600), {@code bind} (datagrams).
 */
public final class SocketProvider implements org.ipc4j.spi.IpcProvider {
    /** Default largest message on stream sockets: 16 MiB. */
    public static final int DEFAULT_STREAM_MAX = 16 * 1024 * 1024;
    /** Largest UDP payload over IPv4: 65,535 - 8 (UDP header) - 20 (IP header). */
    public static final int UDP_MAX = 65_507;
    /** Default largest Unix datagram. */
    public static final int DEFAULT_UNIXGRAM_MAX = 64 * 1024;
    /** Largest Unix datagram allowed: the send buffer limit without privileges (net.core.wmem_max 212992) less overhead. */
    public static final int UNIXGRAM_LIMIT = 200 * 1024;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int LARGEST_STREAM_MAX = Integer.MAX_VALUE - 64;

    private static final String[] STREAM_KEYS = {"framing", "maxMessageSize"};

    /** Needed by {@link java.util.ServiceLoader}; touches no native code. */
    public SocketProvider() {
    }

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("tcp", "udp", "unix", "unixgram");
    }

    @Override
    public Channel connect(IpcAddress address) throws IOException {
        switch (address.scheme()) {
            case "tcp":
                address.checkKeys("framing", "maxMessageSize", "nodelay", "impl");
                return connectTcp(address);
            case "unix":
                address.checkKeys("framing", "maxMessageSize", "impl", "serverUid");
                return connectUnix(address);
            case "udp":
                address.checkKeys("bind", "maxMessageSize", "impl");
                return openUdp(address);
            case "unixgram":
                address.checkKeys("bind", "maxMessageSize", "impl");
                return openUnixDatagram(address);
            default:
                throw unsupported(address, "channels");
        }
    }

    @Override
    public ChannelListener listen(IpcAddress address) throws IOException {
        switch (address.scheme()) {
            case "tcp":
                address.checkKeys("framing", "maxMessageSize", "nodelay", "impl", "backlog");
                return listenTcp(address);
            case "unix":
                address.checkKeys("framing", "maxMessageSize", "impl", "backlog", "allowUid");
                return listenUnix(address);
            case "udp":
            case "unixgram":
                throw new IpcUnavailableException(address.text(), "datagram address '" + address.text()
                        + "' has no listener: each side opens it with Ipc.connect and names its own end with ?bind=");
            default:
                throw unsupported(address, "channel listeners");
        }
    }

    // ---------------------------------------------------------------- TCP

    private Channel connectTcp(IpcAddress address) throws IOException {
        boolean raw = raw(address);
        int max = streamMax(address);
        boolean noDelay = !address.has("nodelay") || address.flag("nodelay");
        boolean nativeIo = nativeIo(address);
        InetSocketAddress remote = new InetSocketAddress(resolve(address, address.host()), address.port());
        SocketChannel socket = SocketChannel.open(remote.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
            connect(address, socket, remote);
            return new StreamChannel(address.text(), socket, raw, max, tcpProperties(), nativeIo);
        } catch (IOException | RuntimeException e) {
            closeSuppressing(socket, e);
            throw e;
        }
    }

    private ChannelListener listenTcp(IpcAddress address) throws IOException {
        boolean raw = raw(address);
        int max = streamMax(address);
        boolean noDelay = !address.has("nodelay") || address.flag("nodelay");
        boolean nativeIo = nativeIo(address);
        int backlog = backlog(address);
        InetAddress host = resolve(address, address.host());
        ServerSocketChannel server = ServerSocketChannel.open(host instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                server.bind(new InetSocketAddress(host, address.port()), backlog);
            } catch (java.net.SocketException e) {
                if (!inUse(e)) {
                    throw e;
                }
                throw new ObjectExistsException(address.text(), "address in use: cannot bind '" + address.text() + "' ("
                        + e.getMessage() + "); choose another port, or port 0 for any free one", e);
            }
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            String hostText = host instanceof Inet6Address ? "[" + address.host() + "]" : address.host();
            String bound = rebuild(address, "//" + hostText + ":" + port, "framing", "maxMessageSize", "nodelay", "impl");
            String text = address.text();
            return new StreamListener(bound, server, accepted -> {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, noDelay);
                return new StreamChannel(text, accepted, raw, max, tcpProperties(), nativeIo);
            }, Set.of(), null);
        } catch (IOException | RuntimeException e) {
            closeSuppressing(server, e);
            throw e;
        }
    }

    /**
     * Whether a TCP or UDP channel reads and writes its descriptor itself ({@code impl=native}, the
     * default where descriptor I/O loads: a receive that waits is one blocking {@code recv}, as in C)
     * or through the JDK's channel ({@code impl=jdk}, non-blocking with selector waits).
     */
    private static boolean nativeIo(IpcAddress address) throws IOException {
        return nativeIo(address, "jdk");
    }

    /** {@link #nativeIo(IpcAddress)} for a scheme whose other implementation is called {@code other}. */
    private static boolean nativeIo(IpcAddress address, String other) throws IOException {
        String impl = address.string("impl").orElse(null);
        if (impl == null) {
            return DescriptorIo.unavailable() == null;
        }
        switch (impl) {
            case "native":
                Throwable why = DescriptorIo.unavailable();
                if (why != null) {
                    throw new IpcUnavailableException(address.text(), "impl=native cannot be used in this JVM (" + why
                            + "); use impl=" + other);
                }
                return true;
            default:
                if (impl.equals(other)) {
                    return false;
                }
                throw address.invalid("impl", "impl=" + impl + " is unknown; accepted for " + address.scheme()
                        + ": native (the default) or " + other);
        }
    }

    private static Set<Property> tcpProperties() {
        return EnumSet.of(Property.RELIABLE, Property.ORDERED, Property.BIDIRECTIONAL, Property.CROSS_HOST);
    }

    // ---------------------------------------------------------------- Unix stream

    /** The Unix stream implementations: who makes the socket, and who reads and writes it. */
    private enum UnixImpl {
        /** The JDK's {@code SocketChannel}: no abstract names, no credentials, no descriptor passing. */
        JDK,
        /** junixsocket for everything: abstract names, credentials, descriptor passing. */
        JUNIXSOCKET,
        /** junixsocket makes the socket, ipc4j reads and writes its descriptor: credentials, no descriptor passing. */
        NATIVE
    }

    /**
     * Which Unix stream implementation serves the address. Paths default to {@code native}: it
     * measured fastest (64 B round trip, see README), as its receive waits in one blocking read like
     * C; where it cannot load, the JDK's (or junixsocket's when credentials are needed). Abstract
     * names default to junixsocket, which also passes descriptors.
     */
    private static UnixImpl unixImpl(IpcAddress address) throws IOException {
        String impl = address.string("impl").orElse(null);
        if (impl == null) {
            if (address.isAbstract()) {
                return UnixImpl.JUNIXSOCKET;
            }
            if (DescriptorIo.unavailable() == null) {
                return UnixImpl.NATIVE;
            }
            return address.has("allowUid") || address.has("serverUid") ? UnixImpl.JUNIXSOCKET : UnixImpl.JDK;
        }
        switch (impl) {
            case "junixsocket":
                return UnixImpl.JUNIXSOCKET;
            case "native":
                Throwable why = DescriptorIo.unavailable();
                if (why != null) {
                    throw new IpcUnavailableException(address.text(), "impl=native cannot be used in this JVM (" + why
                            + "); use impl=jdk or impl=junixsocket");
                }
                return UnixImpl.NATIVE;
            case "jdk":
                if (address.isAbstract()) {
                    throw address.invalid("impl", "impl=jdk has no abstract namespace (" + address.name()
                            + "); use impl=native, impl=junixsocket or a path");
                }
                return UnixImpl.JDK;
            default:
                throw address.invalid("impl", "impl=" + impl + " is unknown; accepted: native (the default for"
                        + " paths), jdk, junixsocket (the default for abstract names; descriptor passing)");
        }
    }

    private static Set<Property> unixProperties(UnixImpl impl) {
        Set<Property> p = EnumSet.of(Property.RELIABLE, Property.ORDERED, Property.BIDIRECTIONAL);
        if (impl != UnixImpl.JDK) {
            p.add(Property.PEER_CREDENTIALS);
        }
        if (impl == UnixImpl.JUNIXSOCKET) {
            p.add(Property.FD_PASSING);
        }
        return p;
    }

    private Channel connectUnix(IpcAddress address) throws IOException {
        boolean raw = raw(address);
        int max = streamMax(address);
        UnixImpl impl = unixImpl(address);
        boolean jdk = impl == UnixImpl.JDK;
        SocketChannel socket = jdk ? SocketChannel.open(StandardProtocolFamily.UNIX) : AFUNIXSocketChannel.open();
        try {
            SocketAddress remote = jdk ? UnixDomainSocketAddress.of(address.name()) : unixAddress(address.name());
            Set<Integer> serverUids = uids(address, "serverUid");
            if (jdk && !serverUids.isEmpty()) {
                throw address.invalid("serverUid", "serverUid needs peer credentials, which impl=jdk cannot read;"
                        + " leave impl out or use impl=native or impl=junixsocket");
            }
            connect(address, socket, remote);
            if (address.isAbstract() || !serverUids.isEmpty()) {
                // an abstract name has no owner or mode: whoever bound it first answers, so check who that is
                new ListenerOwnerCheck(address.text(), serverUids).check((AFUNIXSocketChannel) socket);
            }
            return new StreamChannel(address.text(), socket, raw, max, unixProperties(impl), impl == UnixImpl.NATIVE);
        } catch (IOException | RuntimeException e) {
            closeSuppressing(socket, e);
            throw e;
        }
    }

    private ChannelListener listenUnix(IpcAddress address) throws IOException {
        boolean raw = raw(address);
        int max = streamMax(address);
        UnixImpl impl = unixImpl(address);
        boolean jdk = impl == UnixImpl.JDK;
        int backlog = backlog(address);
        int mode = address.mode();
        Set<Integer> allowed = uids(address, "allowUid");
        if (jdk && !allowed.isEmpty()) {
            throw address.invalid("allowUid", "allowUid needs peer credentials, which impl=jdk cannot read;"
                    + " leave impl out or use impl=native or impl=junixsocket");
        }
        ServerSocketChannel server = jdk ? ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                : AFUNIXServerSocketChannel.open();
        try {
            UnixPaths.Placed placed = null;
            if (address.isAbstract()) {
                try {
                    server.bind(unixAddress(address.name()), backlog);
                } catch (java.net.SocketException e) {
                    if (!inUse(e)) {
                        throw e;
                    }
                    throw new ObjectExistsException(address.text(), "address in use: abstract name '" + address.name()
                            + "' is bound by another socket; choose another name", e);
                }
            } else {
                placed = UnixPaths.bind(address, Path.of(address.name()), mode, !jdk, path -> server.bind(
                        jdk ? UnixDomainSocketAddress.of(path) : AFUNIXSocketAddress.of(path), backlog));
            }
            String bound = rebuild(address, address.name(), "framing", "maxMessageSize", "impl");
            String text = address.text();
            return new StreamListener(bound, server,
                    accepted -> new StreamChannel(text, accepted, raw, max, unixProperties(impl), impl == UnixImpl.NATIVE),
                    allowed, placed);
        } catch (IOException | RuntimeException e) {
            closeSuppressing(server, e);
            throw e;
        }
    }

    private static AFUNIXSocketAddress unixAddress(String name) throws IOException {
        return name.startsWith("@") ? AFUNIXSocketAddress.inAbstractNamespace(name.substring(1))
                : AFUNIXSocketAddress.of(Path.of(name));
    }

    /** The uids of {@code allowUid} (clients a listener accepts) or {@code serverUid} (listeners a client accepts). */
    private static Set<Integer> uids(IpcAddress address, String key) throws IOException {
        Set<Integer> uids = new LinkedHashSet<>();
        String value = address.string(key).orElse(null);
        if (value == null) {
            return uids;
        }
        for (String part : value.split(",", -1)) {
            try {
                long uid = Long.parseLong(part.trim());
                if (uid < 0 || uid > 0xFFFF_FFFEL) {
                    throw new NumberFormatException();
                }
                uids.add((int) uid);
            } catch (NumberFormatException e) {
                throw address.invalid(key, key + "=" + value + " has '" + part
                        + "', not a uid; accepted: comma-separated uids 0 to 4294967294, such as " + key + "=0,1000");
            }
        }
        return uids;
    }

    // ---------------------------------------------------------------- datagrams

    private Channel openUdp(IpcAddress address) throws IOException {
        int max = (int) address.size("maxMessageSize", UDP_MAX);
        if (max < 0 || max > UDP_MAX) {
            throw address.invalid("maxMessageSize", "maxMessageSize=" + max + " is outside 0.." + UDP_MAX
                    + " (the largest UDP payload)");
        }
        boolean nativeIo = nativeIo(address, "jdk");
        InetSocketAddress remote = new InetSocketAddress(resolve(address, address.host()), address.port());
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        InetSocketAddress local = address.has("bind") ? parseHostPort(address, address.string("bind").get())
                : new InetSocketAddress(v6 ? "::" : "0.0.0.0", 0);
        DatagramChannel socket = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            try {
                socket.bind(local);
            } catch (java.net.SocketException e) {
                if (!inUse(e)) {
                    throw e;
                }
                throw new ObjectExistsException(address.text(), "address in use: cannot bind " + local + " for '"
                        + address.text() + "' (" + e.getMessage() + ")", e);
            }
            int descriptor = -1;
            if (nativeIo) {
                // connected, so the kernel delivers only the peer's datagrams; an empty one is sent by send(2)
                socket.connect(remote);
                descriptor = JdkSocketDescriptor.find(socket.getLocalAddress(), remote);
            }
            // otherwise left unconnected: the JDK cannot send an empty datagram on a connected DatagramChannel
            return new DatagramEndpoint(address.text(), socket, remote, max,
                    EnumSet.of(Property.BIDIRECTIONAL, Property.CROSS_HOST), null, true, descriptor);
        } catch (IOException | RuntimeException e) {
            closeSuppressing(socket, e);
            throw e;
        }
    }

    private static InetSocketAddress parseHostPort(IpcAddress address, String value) throws IOException {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (colon < 0 || host.isEmpty() || port < 0 || port > 65535) {
            throw address.invalid("bind", "bind=" + value + " is not host:port; accepted: such as bind=127.0.0.1:7001"
                    + " or bind=[::1]:7001, port 0 to 65535");
        }
        return new InetSocketAddress(resolve(address, host), port);
    }

    private Channel openUnixDatagram(IpcAddress address) throws IOException {
        long max = address.size("maxMessageSize", DEFAULT_UNIXGRAM_MAX);
        if (max < 0 || max > UNIXGRAM_LIMIT) {
            throw address.invalid("maxMessageSize", "maxMessageSize=" + max + " is outside 0.." + UNIXGRAM_LIMIT
                    + " (what a Unix datagram socket's send buffer allows without privileges)");
        }
        String bind = address.string("bind").orElseThrow(() -> address.invalid("bind", "unixgram needs ?bind= with"
                + " this end's own path or @name, so the peer can answer; such as unixgram:/run/a.sock?bind=/run/b.sock"));
        IpcAddress own = IpcAddress.parse("unixgram:" + bind);
        boolean nativeIo = nativeIo(address, "junixsocket");
        AFUNIXDatagramChannel socket = AFUNIXDatagramChannel.open();
        try {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, (int) max + 4096);
            socket.setOption(StandardSocketOptions.SO_RCVBUF, (int) max + 4096);
            UnixPaths.Placed placed = null;
            if (own.isAbstract()) {
                try {
                    socket.bind(unixAddress(own.name()));
                } catch (java.net.SocketException e) {
                    if (!inUse(e)) {
                        throw e;
                    }
                    throw new ObjectExistsException(address.text(), "address in use: abstract name '" + own.name()
                            + "' is bound by another socket", e);
                }
            } else {
                placed = UnixPaths.bind(own, Path.of(own.name()), address.mode(), true,
                        path -> socket.bind(AFUNIXSocketAddress.of(path)));
            }
            try {
                AFUNIXSocketAddress remote = unixAddress(address.name());
                connectDatagram(address, socket, remote);
                // the kernel neither drops nor reorders Unix datagrams, but a datagram socket cannot tell
                // that its peer closed (no end of stream), which RELIABLE promises: so only ORDERED
                int descriptor = nativeIo ? FileDescriptorCast.using(socket.getFileDescriptor()).as(Integer.class) : -1;
                return new DatagramEndpoint(address.text(), socket, remote, (int) max,
                        EnumSet.of(Property.ORDERED, Property.BIDIRECTIONAL), placed, false, descriptor);
            } catch (IOException | RuntimeException e) {
                if (placed != null) {
                    placed.remove();
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            closeSuppressing(socket, e);
            throw e;
        }
    }

    /** The peer may not have bound yet: retry until it has, within the address's timeout. */
    private static void connectDatagram(IpcAddress address, AFUNIXDatagramChannel socket, SocketAddress remote)
            throws IOException {
        Duration timeout = address.timeout(DEFAULT_TIMEOUT);
        long deadline = Readiness.deadline(timeout.toNanos());
        long pause = 1_000_000;
        while (true) {
            try {
                socket.connect(remote);
                return;
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                boolean notYet = m.contains("refused") || m.contains("No such file") || m.contains("not found");
                if (m.contains("ermission denied")) {
                    throw new PermissionDeniedException(address.text(), "connect to '" + address.text() + "' refused: "
                            + m + "; check the socket file's owner and mode", e);
                }
                if (m.contains("Operation not permitted")) {
                    // EPERM: the peer's socket is connected to another socket, which alone may send to it
                    throw new PermissionDeniedException(address.text(), "connect to '" + address.text() + "' refused: "
                            + m + "; the socket at '" + address.name() + "' is connected to another peer", e);
                }
                if (!notYet) {
                    throw e;
                }
                if (Readiness.passed(deadline)) {
                    throw new IpcTimeoutException(address.text(), "connect (the peer did not bind '" + address.name()
                            + "')", timeout);
                }
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 50_000_000);
            if (Thread.currentThread().isInterrupted()) {
                throw new java.io.InterruptedIOException("connect to '" + address.text() + "' interrupted");
            }
        }
    }

    // ---------------------------------------------------------------- common

    private static void connect(IpcAddress address, SocketChannel socket, SocketAddress remote) throws IOException {
        Duration timeout = address.timeout(DEFAULT_TIMEOUT);
        try {
            socket.configureBlocking(false);
            if (socket.connect(remote)) {
                return;
            }
            Readiness ready = new Readiness(socket, SelectionKey.OP_CONNECT);
            try {
                long deadline = Readiness.deadline(timeout.toNanos());
                while (!socket.finishConnect()) {
                    if (!ready.await(deadline)) {
                        throw new IpcTimeoutException(address.text(), "connect", timeout);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.io.InterruptedIOException("connect to '" + address.text() + "' interrupted");
                    }
                }
            } finally {
                ready.close();
            }
        } catch (ConnectException e) {
            String m = String.valueOf(e.getMessage());
            throw new ObjectNotFoundException(address.text(), "nothing listens at '" + address.text() + "' ("
                    + m + ")" + (address.scheme().equals("unix") && !address.isAbstract()
                            ? "; the socket file is stale or its listener is gone" : ""), e);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ObjectNotFoundException(address.text(), "no socket at '" + address.name() + "'", e);
        } catch (AccessDeniedException e) {
            throw new PermissionDeniedException(address.text(), "connect to '" + address.text() + "' refused: "
                    + e.getMessage() + "; check the socket file's owner and mode", e);
        } catch (java.net.SocketException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("No such file")) {
                throw new ObjectNotFoundException(address.text(), "no socket at '" + address.name() + "' (" + m + ")", e);
            }
            if (m.contains("ermission denied")) {
                throw new PermissionDeniedException(address.text(), "connect to '" + address.text() + "' refused: "
                        + m + "; check the socket file's owner and mode", e);
            }
            throw e;
        }
    }

    private static boolean raw(IpcAddress address) throws IOException {
        String framing = address.string("framing").orElse("framed");
        switch (framing) {
            case "framed":
                return false;
            case "raw":
                return true;
            default:
                throw address.invalid("framing", "framing=" + framing + " is unknown; accepted: framed (4-byte"
                        + " big-endian length before each message, the default) or raw");
        }
    }

    private static int streamMax(IpcAddress address) throws IOException {
        long max = address.size("maxMessageSize", DEFAULT_STREAM_MAX);
        if (max < 0 || max > LARGEST_STREAM_MAX) {
            throw address.invalid("maxMessageSize", "maxMessageSize=" + max + " is outside 0.." + LARGEST_STREAM_MAX);
        }
        return (int) max;
    }

    private static int backlog(IpcAddress address) throws IOException {
        return (int) address.integer("backlog", 128, 1, 65535);
    }

    private static InetAddress resolve(IpcAddress address, String host) throws IOException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ObjectNotFoundException(address.text(), "unknown host '" + host + "' in '" + address.text() + "'", e);
        }
    }

    /** The address with a new name and only the given query keys, for a listener's connectable address. */
    private static String rebuild(IpcAddress address, String name, String... keys) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String k : keys) {
            address.string(k).ifPresent(v -> query.put(k, v));
        }
        StringBuilder s = new StringBuilder(address.scheme()).append(':').append(name);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            s.append(sep).append(e.getKey());
            if (!e.getValue().isEmpty()) {
                s.append('=').append(e.getValue());
            }
            sep = '&';
        }
        return s.toString();
    }

    private static boolean inUse(java.net.SocketException e) {
        return e instanceof java.net.BindException || String.valueOf(e.getMessage()).contains("in use")
                || e.getClass().getSimpleName().startsWith("AddressAlreadyInUse");
    }

    private static void closeSuppressing(NetworkChannel channel, Throwable failure) {
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
