package org.ipc4j.inproc.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.ipc4j.IpcAddress;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.ObjectNotFoundException;

/**
 * The names of one kind of inproc object in this JVM. Shared by every provider instance, so that
 * {@code Ipc.openQueue} and {@code new InprocProvider().openQueue} see the same objects.
 *
 * @param <T> the shared state behind a name
 */
final class Registry<T> {
    /** Makes the state for a name that is being created. */
    @FunctionalInterface
    interface Creator<T> {
        T create() throws IOException;
    }

    static final Registry<QueueState> QUEUES = new Registry<>("queue");
    static final Registry<RegionState> REGIONS = new Registry<>("region");
    static final Registry<SemaphoreState> SEMAPHORES = new Registry<>("semaphore");

    private final String kind;
    private final Map<String, T> byName = new HashMap<>();

    private Registry(String kind) {
        this.kind = kind;
    }

    /**
     * Opens the object named by {@code address}, creating it if the address says {@code create}.
     *
     * @throws ObjectNotFoundException if it is absent and {@code create} was not given
     * @throws ObjectExistsException if it exists and {@code exclusive} was given
     */
    synchronized T open(IpcAddress address, Creator<T> creator) throws IOException {
        String name = address.name();
        T existing = byName.get(name);
        if (existing != null) {
            if (address.exclusive()) {
                throw new ObjectExistsException(address.text(), "inproc " + kind + " '" + name
                        + "' already exists and 'exclusive' was given in address '" + address.text()
                        + "'; drop 'exclusive' to open it, or unlink it first");
            }
            return existing;
        }
        if (!address.create()) {
            throw new ObjectNotFoundException(address.text(), "inproc " + kind + " '" + name
                    + "' does not exist in this JVM (address '" + address.text()
                    + "'); add '?create' to create it");
        }
        T created = creator.create();
        byName.put(name, created);
        return created;
    }

    /**
     * Removes {@code name} if it still names {@code state}.
     *
     * @throws ObjectNotFoundException if it was already removed
     */
    synchronized void unlink(String address, String name, T state) throws ObjectNotFoundException {
        if (byName.get(name) != state) {
            throw new ObjectNotFoundException(address, "inproc " + kind + " '" + name
                    + "' was already unlinked (address '" + address + "')");
        }
        byName.remove(name);
    }
}
