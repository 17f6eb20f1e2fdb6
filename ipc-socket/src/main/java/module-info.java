/**
 * ipc4j sockets: TCP, UDP, Unix stream and Unix datagram channels through JDK NIO and junixsocket.
 */
module org.ipc4j.socket {
    requires transitive org.ipc4j;
    requires org.newsclub.net.unix;
    // the native library junixsocket loads; required so it is resolved on the module path too
    requires com.kohlschutter.junixsocket.nativecommon;
    requires com.sun.jna;
    requires org.slf4j;
    exports org.ipc4j.socket;
    provides org.ipc4j.spi.IpcProvider with org.ipc4j.socket.SocketProvider;
}
