package org.ipc4j.testkit.broken.region;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.ipc4j.SharedRegion;
import org.ipc4j.spi.IpcProvider;

/**
 * Deliberately broken region backends for the kit's own tests: each scheme of {@link RegionFault}
 * ({@code region-nonatomic:/name?...}) is the {@code inproc:/name?...} region with that one fault.
 */
public final class BrokenRegionProvider implements IpcProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BrokenRegionProvider() {
    }

    @Override
    public String name() {
        return "broken-regions";
    }

    @Override
    public Set<String> schemes() {
        return Arrays.stream(RegionFault.values()).map(f -> f.scheme).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int priority() {
        return -200;
    }

    @Override
    public SharedRegion openRegion(IpcAddress address) throws IOException {
        RegionFault fault = RegionFault.of(address.scheme());
        String text = address.text();
        String rest = text.substring(address.scheme().length() + 1);
        if (fault == RegionFault.BOUNDS_OFF_BY_ONE && address.has("size")) {
            long size = address.size("size", 0);
            rest = rest.replace("size=" + address.string("size").orElseThrow(), "size=" + (size + RegionFault.SLACK));
        }
        return new BrokenRegion(Ipc.openRegion("inproc:" + rest), fault, text);
    }
}
