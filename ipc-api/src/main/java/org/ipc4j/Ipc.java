package org.ipc4j;

import java.io.IOException;
import java.util.List;
import org.ipc4j.internal.ProviderRegistry;
import org.ipc4j.spi.IpcProvider;

/**
 * The entry point: every IPC object from one address string, so an address can live in a
 * configuration file.
 *
 * <pre>{@code
 * Channel c         = Ipc.connect("unix:/run/app/app.sock");
 * ChannelListener l = Ipc.listen("tcp://127.0.0.1:7000");
 * MessageQueue q    = Ipc.openQueue("mq:/jobs?create&capacity=10&maxMessageSize=8192");
 * SharedRegion r    = Ipc.openRegion("shm:/prices?create&size=1MiB");
 * Semaphore s       = Ipc.openSemaphore("sem:/lock?create&initial=1");
 * Ipc.signals().handle(Signal.HUP, sig -> reload());
 * }</pre>
 *
 * <p>The provider is chosen by the address's scheme among those found on the class path
 * ({@link java.util.ServiceLoader}). Every method throws {@link InvalidAddressException} for a
 * malformed address or unknown query key, {@link IpcUnavailableException} for a scheme no provider
 * serves (listing those that are served), {@link ObjectNotFoundException} when the object is missing
 * and {@code create} was not given, {@link ObjectExistsException} when {@code exclusive} was given and
 * it exists, {@link PermissionDeniedException} when access is refused and {@link ResourceLimitException}
 * when a system limit is hit. Opening blocks at most the address's {@code timeout}
 * ({@link IpcTimeoutException}).
 */
public final class Ipc {
    private Ipc() {
    }

    /**
     * Connects a channel: to a listener ({@code tcp:}, {@code unix:}, {@code shm:}), or opens one end
     * of a pipe, FIFO or datagram pair.
     */
    public static Channel connect(String address) throws IOException {
        IpcAddress a = IpcAddress.parse(address);
        return provider(a).connect(a);
    }

    /** Listens for channels at an address; see {@link ChannelListener#address()} for the bound address. */
    public static ChannelListener listen(String address) throws IOException {
        IpcAddress a = IpcAddress.parse(address);
        return provider(a).listen(a);
    }

    /** Opens or creates a message queue ({@code mq:}, {@code sysvmq:}, {@code shm:}). */
    public static MessageQueue openQueue(String address) throws IOException {
        IpcAddress a = IpcAddress.parse(address);
        return provider(a).openQueue(a);
    }

    /** Opens or creates a shared region ({@code shm:}). */
    public static SharedRegion openRegion(String address) throws IOException {
        IpcAddress a = IpcAddress.parse(address);
        return provider(a).openRegion(a);
    }

    /** Opens or creates a semaphore ({@code sem:}, {@code sysvsem:}). */
    public static Semaphore openSemaphore(String address) throws IOException {
        IpcAddress a = IpcAddress.parse(address);
        return provider(a).openSemaphore(a);
    }

    /**
     * The signal service of the provider preferred by {@code -Dipc.provider}, else of the
     * highest-priority provider that offers one.
     *
     * @throws IpcUnavailableException if no provider on the class path offers signals
     */
    public static SignalService signals() throws IpcUnavailableException {
        return Registry.INSTANCE.signals();
    }

    /** The schemes served by the providers on the class path, sorted. */
    public static List<String> schemes() {
        return Registry.INSTANCE.schemes();
    }

    /** The providers on the class path. */
    public static List<IpcProvider> providers() {
        return Registry.INSTANCE.providers();
    }

    private static IpcProvider provider(IpcAddress address) throws IpcUnavailableException {
        return Registry.INSTANCE.forScheme(address.scheme(), address.text());
    }

    /** Loaded on first use, so that merely referencing {@link Ipc} loads nothing. */
    private static final class Registry {
        static final ProviderRegistry INSTANCE = ProviderRegistry.load(Ipc.class.getClassLoader());
    }
}
