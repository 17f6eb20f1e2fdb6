/**
 * Fault injection for any backend: peers killed with SIGKILL at named points, signal storms at the
 * thread blocked in a call, and a full tmpfs under creation. Extend {@link ChannelFaultContract},
 * {@link QueueFaultContract}, {@link SemaphoreFaultContract}, {@link RegionFaultContract} or {@link SignalFaultContract} as the
 * contracts of {@link org.ipc4j.testkit.contract} are extended; see the module's README.
 */
package org.ipc4j.testkit.fault;
