package org.ipc4j.testkit.signal;

import java.util.Optional;
import java.util.Set;
import org.ipc4j.SignalService;
import org.ipc4j.spi.IpcProvider;

/**
 * Offers {@link SignalJvmService}, the kit's own real signals, under the name {@code kit-signals}.
 * Lowest priority: a peer gets it only with {@code -Dipc.provider=kit-signals}. Test scope only.
 */
public final class SignalJvmProvider implements IpcProvider {
    /** The provider's name, for {@code -Dipc.provider}. */
    public static final String NAME = "kit-signals";

    /** For {@link java.util.ServiceLoader}. */
    public SignalJvmProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> schemes() {
        return Set.of();
    }

    @Override
    public int priority() {
        return -300;
    }

    @Override
    public Optional<SignalService> signals() {
        return Optional.of(SignalJvmService.INSTANCE);
    }
}
