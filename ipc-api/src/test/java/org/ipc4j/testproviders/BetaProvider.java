package org.ipc4j.testproviders;

import java.util.Set;
import org.ipc4j.spi.IpcProvider;

/** A test provider that also claims the scheme {@code shared}, to clash with {@link AlphaProvider}. */
public final class BetaProvider implements IpcProvider {
    /** For {@link java.util.ServiceLoader}. */
    public BetaProvider() {
    }

    @Override
    public String name() {
        return "beta";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("beta", "shared");
    }
}
