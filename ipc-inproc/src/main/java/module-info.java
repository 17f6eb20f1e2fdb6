/**
 * The {@code inproc:} reference backend: every IPC object lives in this JVM and is shared by name
 * between its threads, like ZeroMQ's {@code inproc} transport.
 */
module org.ipc4j.inproc {
    requires transitive org.ipc4j;
    requires org.slf4j;
    exports org.ipc4j.inproc;
    provides org.ipc4j.spi.IpcProvider with org.ipc4j.inproc.InprocProvider;
}
