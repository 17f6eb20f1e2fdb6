/**
 * The {@code ipc} command line: demo, bench, ls, rm, send and recv over every ipc4j backend found
 * on the class path or module path (through {@link org.ipc4j.spi.IpcProvider}).
 */
module org.ipc4j.tools {
    requires org.ipc4j;
    requires info.picocli;
    requires HdrHistogram;
    requires com.sun.jna;
    requires static org.ipc4j.posix;   // ChildProcess for the anonymous-pipe demo, when present
    requires java.management;
    requires org.agrona;

    // picocli fills the command classes' fields by reflection
    opens org.ipc4j.tools to info.picocli;
}
