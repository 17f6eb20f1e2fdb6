package org.ipc4j;

import java.io.IOException;

/**
 * Installs signal handlers in this process and sends signals to processes; from {@link Ipc#signals()}.
 */
public interface SignalService {

    /**
     * Installs {@code handler} for {@code signal}. Several handlers may be installed for one signal;
     * each runs on every delivery.
     *
     * @return the registration; closing it removes this handler
     * @throws IllegalArgumentException if the signal may not be handled in a JVM
     *     ({@link Signal#refusal()}); the message lists every such signal and why
     * @throws IpcException if the JVM refused to install it (for example HUP, INT or TERM under
     *     {@code -Xrs}); the message says why
     */
    SignalRegistration handle(Signal signal, SignalHandler handler) throws IpcException;

    /**
     * Sends {@code signal} to the process {@code pid} ({@code kill(2)}).
     *
     * @throws ObjectNotFoundException if no process has that pid
     * @throws PermissionDeniedException if this process may not signal it
     * @throws IllegalArgumentException if {@code pid <= 0} (process groups are not addressed here)
     * @throws IOException if the system refused otherwise
     */
    void send(long pid, Signal signal) throws IOException;

    /**
     * Sends {@code signal} with an int value to the process {@code pid} ({@code sigqueue(3)}).
     *
     * @throws UnsupportedOperationException if this backend cannot attach a value
     * @throws IOException as {@link #send(long, Signal)}
     */
    void send(long pid, Signal signal, int value) throws IOException;
}
