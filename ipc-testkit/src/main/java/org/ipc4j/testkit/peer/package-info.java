/**
 * Peer programs: main classes run in a second JVM by {@link org.ipc4j.testkit.PeerJvm}, driven by
 * address strings so that they use whatever backend is on the class path.
 */
package org.ipc4j.testkit.peer;
