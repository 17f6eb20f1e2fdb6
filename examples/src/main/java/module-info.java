/** Runnable ipc4j examples; each main class is described in the module's README. */
module org.ipc4j.examples {
    requires org.ipc4j;
    requires java.management;
}
