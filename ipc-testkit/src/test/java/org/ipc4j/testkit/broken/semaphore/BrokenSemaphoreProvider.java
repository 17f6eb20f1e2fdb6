package org.ipc4j.testkit.broken.semaphore;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.ipc4j.Semaphore;
import org.ipc4j.spi.IpcProvider;

/**
 * Deliberately broken semaphore backends for the kit's own tests: each scheme of {@link SemaphoreFault}
 * ({@code sem-miscount:/name?...}) is the {@code inproc:/name?...} semaphore with that one fault.
 */
public final class BrokenSemaphoreProvider implements IpcProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BrokenSemaphoreProvider() {
    }

    @Override
    public String name() {
        return "broken-semaphores";
    }

    @Override
    public Set<String> schemes() {
        return Arrays.stream(SemaphoreFault.values()).map(f -> f.scheme).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int priority() {
        return -200;
    }

    @Override
    public Semaphore openSemaphore(IpcAddress address) throws IOException {
        String text = address.text();
        Semaphore delegate = Ipc.openSemaphore("inproc:" + text.substring(address.scheme().length() + 1));
        return new BrokenSemaphore(delegate, SemaphoreFault.of(address.scheme()), text);
    }
}
