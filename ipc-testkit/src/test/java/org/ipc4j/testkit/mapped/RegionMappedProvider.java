package org.ipc4j.testkit.mapped;

import java.io.IOException;
import java.util.Set;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.spi.IpcProvider;

/**
 * The kit's own cross-process regions, semaphores and queues over files mapped from {@code /dev/shm},
 * so the kit's build runs the peer JVM cases of {@link org.ipc4j.testkit.contract.SharedRegionContract},
 * {@link org.ipc4j.testkit.contract.SemaphoreContract} and {@link org.ipc4j.testkit.contract.MessageQueueContract}
 * itself. Test scope only. Schemes: {@code kit-region:/name?create&size=N},
 * {@code kit-sem:/name?create&initial=N}, {@code kit-queue:/name?create&capacity=N&maxMessageSize=N}, and
 * {@code kit-region-nonatomic:} (getAndAdd is not atomic: the broken variant, across JVMs too).
 */
public final class RegionMappedProvider implements IpcProvider {
    static final String REGION = "kit-region";
    static final String REGION_NON_ATOMIC = "kit-region-nonatomic";
    static final String SEMAPHORE = "kit-sem";
    static final String QUEUE = "kit-queue";

    /** For {@link java.util.ServiceLoader}. */
    public RegionMappedProvider() {
    }

    @Override
    public String name() {
        return "kit-mapped";
    }

    @Override
    public Set<String> schemes() {
        return Set.of(REGION, REGION_NON_ATOMIC, SEMAPHORE, QUEUE);
    }

    @Override
    public int priority() {
        return -200;
    }

    private static String name(IpcAddress address) {
        String n = address.text().substring(address.scheme().length() + 1);
        int q = n.indexOf('?');
        return (q < 0 ? n : n.substring(0, q)).replaceFirst("^/+", "");
    }

    @Override
    public MessageQueue openQueue(IpcAddress address) throws IOException {
        if (!address.scheme().equals(QUEUE)) {
            throw unsupported(address, "message queues");
        }
        address.checkKeys("capacity", "maxMessageSize");
        return QueueMapped.open(address.text(), name(address), address.create(),
                (int) address.integer("capacity", 10, 1, 1000), (int) address.size("maxMessageSize", 8192));
    }

    @Override
    public SharedRegion openRegion(IpcAddress address) throws IOException {
        if (!address.scheme().startsWith(REGION)) {
            throw unsupported(address, "shared regions");
        }
        address.checkKeys("size");
        return RegionMapped.open(address.text(), name(address), address.create(), address.size("size", -1),
                address.scheme().equals(REGION_NON_ATOMIC));
    }

    @Override
    public Semaphore openSemaphore(IpcAddress address) throws IOException {
        if (!address.scheme().equals(SEMAPHORE)) {
            throw unsupported(address, "semaphores");
        }
        address.checkKeys("initial");
        return SemaphoreMapped.open(address.text(), name(address), address.create(),
                (int) address.integer("initial", 0, 0, Integer.MAX_VALUE));
    }
}
