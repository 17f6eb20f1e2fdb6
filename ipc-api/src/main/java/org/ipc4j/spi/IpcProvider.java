package org.ipc4j.spi;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.SignalService;

/**
 * A backend: serves some address schemes, and possibly signals. Found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/org.ipc4j.spi.IpcProvider} and in {@code provides} of
 * the module); it needs a public no-argument constructor, which must not touch native code, so
 * that a provider whose native part is missing is still listed and fails only when used.
 *
 * <p>The facade parses the address and picks the provider by {@link IpcAddress#scheme()}; two
 * providers claiming one scheme is an error naming both, unless {@code -Dipc.provider} names one.
 * A factory method the provider does not override refuses with {@link IpcUnavailableException}.
 *
 * <p>Factories must check the query with {@link IpcAddress#checkKeys(String...)} before any system call.
 */
public interface IpcProvider {

    /** A short unique name, such as {@code posix}; what {@code -Dipc.provider} selects. */
    String name();

    /** The schemes this provider serves, such as {@code mq} and {@code fifo}. */
    Set<String> schemes();

    /**
     * Preference when several providers offer the same optional service (signals): higher wins.
     * Reference and test providers return a negative number.
     */
    default int priority() {
        return 0;
    }

    /**
     * Connects to a listener, or opens the client end of a channel.
     *
     * @throws IOException as documented by {@link org.ipc4j.Ipc#connect(String)}
     */
    default Channel connect(IpcAddress address) throws IOException {
        throw unsupported(address, "channels");
    }

    /**
     * Listens for channels at an address.
     *
     * @throws IOException as documented by {@link org.ipc4j.Ipc#listen(String)}
     */
    default ChannelListener listen(IpcAddress address) throws IOException {
        throw unsupported(address, "channel listeners");
    }

    /**
     * Opens (or creates) a message queue.
     *
     * @throws IOException as documented by {@link org.ipc4j.Ipc#openQueue(String)}
     */
    default MessageQueue openQueue(IpcAddress address) throws IOException {
        throw unsupported(address, "message queues");
    }

    /**
     * Opens (or creates) a shared region.
     *
     * @throws IOException as documented by {@link org.ipc4j.Ipc#openRegion(String)}
     */
    default SharedRegion openRegion(IpcAddress address) throws IOException {
        throw unsupported(address, "shared regions");
    }

    /**
     * Opens (or creates) a semaphore.
     *
     * @throws IOException as documented by {@link org.ipc4j.Ipc#openSemaphore(String)}
     */
    default Semaphore openSemaphore(IpcAddress address) throws IOException {
        throw unsupported(address, "semaphores");
    }

    /** This provider's signal service, if it has one. */
    default Optional<SignalService> signals() {
        return Optional.empty();
    }

    /** The refusal for an object kind this provider does not serve for the address's scheme. */
    default IpcUnavailableException unsupported(IpcAddress address, String kind) {
        return new IpcUnavailableException(address.text(), "scheme '" + address.scheme() + "' (provider "
                + name() + ") does not offer " + kind + "; address '" + address.text() + "'");
    }
}
