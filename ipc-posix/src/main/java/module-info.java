/**
 * ipc4j POSIX backend: anonymous pipes and child processes with pipes on chosen descriptors, FIFOs,
 * POSIX and SysV message queues, POSIX and SysV semaphores, and signals, through JNA; the calls on
 * the message path through a small JNI library of its own or the JDK's foreign calls where those load.
 */
module org.ipc4j.posix {
    requires transitive org.ipc4j;
    requires com.sun.jna;
    requires org.slf4j;
    requires jdk.unsupported;
    exports org.ipc4j.posix;
    provides org.ipc4j.spi.IpcProvider with org.ipc4j.posix.PosixProvider;
}
