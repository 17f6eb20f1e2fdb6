/**
 * The permission suite: {@link org.ipc4j.testkit.permission.PermissionContract} is the base class a
 * backend's permission test extends with its {@link org.ipc4j.testkit.permission.PermissionSubject}s;
 * {@link org.ipc4j.testkit.permission.OtherUser} runs a peer JVM as nobody on a readable copy of the
 * class path, and {@link org.ipc4j.testkit.permission.PermissionProbePeer} is what that peer runs.
 */
package org.ipc4j.testkit.permission;
