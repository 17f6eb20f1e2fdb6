/**
 * The leak suite: {@link org.ipc4j.testkit.leak.LeakCheck} runs a mechanism's open/use/close cycle
 * thousands of times and compares what the process holds before and after (descriptors, mappings,
 * threads, named objects in {@code /dev/shm}, {@code /dev/mqueue}, {@code /proc/sysvipc} and watched
 * directories); {@link org.ipc4j.testkit.leak.LeakContract} is the base class a backend's leak test
 * extends with its addresses.
 */
package org.ipc4j.testkit.leak;
