/**
 * ipc4j test kit: {@link org.ipc4j.testkit.PeerJvm} to run the other side in a real second JVM, the
 * peer programs it runs, and the contract tests every backend extends.
 */
module org.ipc4j.testkit {
    requires transitive org.ipc4j;
    requires transitive org.junit.jupiter.api;
    exports org.ipc4j.testkit;
    exports org.ipc4j.testkit.contract;
    exports org.ipc4j.testkit.fault;
    exports org.ipc4j.testkit.leak;
    exports org.ipc4j.testkit.peer;
    exports org.ipc4j.testkit.permission;
}
