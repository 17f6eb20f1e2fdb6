/**
 * ipc4j over shared memory: {@code shm:} regions, ring-buffer channels and queues in {@code /dev/shm}.
 */
module org.ipc4j.shm {
    requires transitive org.ipc4j;
    requires com.sun.jna;
    requires org.slf4j;
    requires chronicle.bytes;
    requires chronicle.core;
    requires java.logging;
    exports org.ipc4j.shm;
    provides org.ipc4j.spi.IpcProvider with org.ipc4j.shm.ShmProvider;
}
