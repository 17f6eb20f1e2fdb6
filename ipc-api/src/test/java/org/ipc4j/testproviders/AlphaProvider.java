package org.ipc4j.testproviders;

import java.util.Set;
import org.ipc4j.spi.IpcProvider;

/** A test provider serving the scheme {@code alpha}; listed only in the services files under {@code providers/}. */
public final class AlphaProvider implements IpcProvider {
    /** For {@link java.util.ServiceLoader}. */
    public AlphaProvider() {
    }

    @Override
    public String name() {
        return "alpha";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("alpha", "shared");
    }
}
