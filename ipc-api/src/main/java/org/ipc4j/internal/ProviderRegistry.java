package org.ipc4j.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.ipc4j.IpcUnavailableException;
import org.ipc4j.SignalService;
import org.ipc4j.UnknownSchemeException;
import org.ipc4j.spi.IpcProvider;

/**
 * The providers found with {@link ServiceLoader}, indexed by scheme. A provider that fails to load
 * is logged and skipped, and its failure is attached to later "unavailable" errors.
 */
public final class ProviderRegistry {
    /** System property naming the provider to prefer when several could serve. */
    public static final String PROVIDER_PROPERTY = "ipc.provider";

    private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

    private final List<IpcProvider> providers;
    private final Map<String, List<IpcProvider>> byScheme;
    private final List<Throwable> loadFailures;
    private final String preferred;

    private ProviderRegistry(List<IpcProvider> providers, List<Throwable> loadFailures, String preferred) {
        this.providers = List.copyOf(providers);
        this.loadFailures = List.copyOf(loadFailures);
        this.preferred = preferred;
        Map<String, List<IpcProvider>> index = new TreeMap<>();
        for (IpcProvider p : providers) {
            for (String scheme : p.schemes()) {
                index.computeIfAbsent(scheme, s -> new ArrayList<>()).add(p);
            }
        }
        this.byScheme = index;
    }

    /** Loads every provider visible to {@code loader}. */
    public static ProviderRegistry load(ClassLoader loader) {
        List<IpcProvider> found = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        Iterator<IpcProvider> it = ServiceLoader.load(IpcProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "skipping an IPC provider that failed to load: " + e, e);
                failures.add(e);
            }
        }
        return new ProviderRegistry(found, failures, System.getProperty(PROVIDER_PROPERTY));
    }

    /** Every scheme served, sorted. */
    public List<String> schemes() {
        return List.copyOf(byScheme.keySet());
    }

    /** Every provider loaded. */
    public List<IpcProvider> providers() {
        return providers;
    }

    /**
     * The provider for {@code scheme}.
     *
     * @throws UnknownSchemeException if none serves it (listing the schemes present)
     * @throws IpcUnavailableException if two do
     *     and {@code -Dipc.provider} does not pick one
     */
    public IpcProvider forScheme(String scheme, String address) throws IpcUnavailableException {
        List<IpcProvider> candidates = byScheme.getOrDefault(scheme, List.of());
        if (candidates.isEmpty()) {
            UnknownSchemeException e = new UnknownSchemeException(address, scheme, schemes());
            loadFailures.forEach(e::addSuppressed);
            throw e;
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        for (IpcProvider p : candidates) {
            if (p.name().equals(preferred)) {
                return p;
            }
        }
        List<String> names = candidates.stream().map(p -> p.name() + " (" + p.getClass().getName() + ")").toList();
        throw new IpcUnavailableException(address, "scheme '" + scheme + "' is claimed by several providers: "
                + String.join(" and ", names) + "; remove one from the class path or choose with -D"
                + PROVIDER_PROPERTY + "=<name>");
    }

    /**
     * The signal service of the preferred provider, else of the highest-priority provider offering one.
     *
     * @throws IpcUnavailableException if no provider offers signals
     */
    public SignalService signals() throws IpcUnavailableException {
        List<IpcProvider> ordered = new ArrayList<>(providers);
        ordered.sort(Comparator.comparingInt(IpcProvider::priority).reversed());
        ordered.sort(Comparator.comparing(p -> !p.name().equals(preferred)));
        for (IpcProvider p : ordered) {
            Optional<SignalService> s = p.signals();
            if (s.isPresent()) {
                return s.get();
            }
        }
        List<String> names = providers.stream().map(IpcProvider::name).toList();
        IpcUnavailableException e = new IpcUnavailableException("signals", "no IPC provider usable for signals; tried "
                + names + ". Add ipc-posix, or set -D" + PROVIDER_PROPERTY);
        loadFailures.forEach(e::addSuppressed);
        throw e;
    }
}
