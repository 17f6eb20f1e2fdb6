package org.ipc4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.ipc4j.internal.ProviderRegistry;
import org.ipc4j.spi.IpcProvider;
import org.ipc4j.testproviders.AlphaProvider;
import org.junit.jupiter.api.Test;

/**
 * How the facade finds providers. The services files live under {@code providers/} in the test
 * resources, not at their root, so that the plain test class path has no provider at all.
 */
class ProviderLookupTest {

    private static URL location(Class<?> c) throws Exception {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    /** A directory of test resources that holds one META-INF/services file. */
    private static URL providers(String which) throws Exception {
        URL url = ProviderLookupTest.class.getResource("/providers/" + which + "/");
        assertTrue(url != null, "test resource providers/" + which + " is missing");
        return url;
    }

    @Test
    void anUnknownSchemeListsTheSchemesPresentAndHereThereAreNone() {
        assertEquals(List.of(), Ipc.schemes(), "the ipc-api test class path has no provider");
        UnknownSchemeException e = assertThrows(UnknownSchemeException.class, () -> Ipc.connect("nosuch:/x"));
        assertEquals("nosuch:/x", e.object());
        assertEquals("nosuch", e.scheme());
        assertEquals(List.of(), e.available());
        assertTrue(e.getMessage().contains("unknown scheme 'nosuch'"), e.getMessage());
        assertTrue(e.getMessage().contains("none (add ipc-posix, ipc-socket or ipc-shm)"), e.getMessage());
        assertThrows(IpcUnavailableException.class, () -> Ipc.listen("tcp://127.0.0.1:0"));
        assertThrows(IpcUnavailableException.class, () -> Ipc.openQueue("mq:/jobs?create"));
        assertThrows(IpcUnavailableException.class, () -> Ipc.openRegion("shm:/r?create&size=1KiB"));
        assertThrows(IpcUnavailableException.class, () -> Ipc.openSemaphore("sem:/s?create"));
        IpcUnavailableException signals = assertThrows(IpcUnavailableException.class, Ipc::signals);
        assertTrue(signals.getMessage().contains("no IPC provider usable for signals"), signals.getMessage());
    }

    @Test
    void aMalformedAddressFailsBeforeAnyProviderIsSought() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class, () -> Ipc.connect("nosuch"));
        assertEquals("nosuch", e.part());
    }

    @Test
    void anUnknownSchemeListsThePresentSchemesWhenThereAreSome() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {providers("clash")}, getClass().getClassLoader())) {
            ProviderRegistry registry = ProviderRegistry.load(loader);
            assertEquals(List.of("alpha", "beta", "shared"), registry.schemes());
            UnknownSchemeException e = assertThrows(UnknownSchemeException.class,
                    () -> registry.forScheme("gamma", "gamma:/x"));
            assertEquals(List.of("alpha", "beta", "shared"), e.available());
            assertTrue(e.getMessage().contains("unknown scheme 'gamma'")
                    && e.getMessage().contains("alpha, beta, shared"), e.getMessage());
            assertInstanceOf(AlphaProvider.class, registry.forScheme("alpha", "alpha:/x"));
        }
    }

    @Test
    void providerIsFoundFromAFreshClassLoader() throws Exception {
        URL[] path = {providers("alpha"), location(ProviderLookupTest.class), location(IpcProvider.class)};
        try (URLClassLoader fresh = new URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            Class<?> ipc = fresh.loadClass("org.ipc4j.Ipc");
            assertNotSame(Ipc.class, ipc, "the fresh loader defines its own copy of the API");
            assertEquals(List.of("alpha", "shared"), ipc.getMethod("schemes").invoke(null));
            List<?> providers = (List<?>) ipc.getMethod("providers").invoke(null);
            assertEquals(1, providers.size());
            assertEquals(AlphaProvider.class.getName(), providers.get(0).getClass().getName());
            assertEquals(fresh, providers.get(0).getClass().getClassLoader());
            // routed to AlphaProvider, which offers no channels: its refusal proves the lookup
            Method connect = ipc.getMethod("connect", String.class);
            InvocationTargetException call = assertThrows(InvocationTargetException.class,
                    () -> connect.invoke(null, "alpha:/x"));
            Throwable e = call.getCause();
            assertEquals(IpcUnavailableException.class.getName(), e.getClass().getName());
            assertTrue(e.getMessage().contains("provider alpha") && e.getMessage().contains("does not offer channels"),
                    e.getMessage());
        }
    }

    @Test
    void twoProvidersClaimingOneSchemeAreAnErrorNamingBoth() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {providers("clash")}, getClass().getClassLoader())) {
            ProviderRegistry registry = ProviderRegistry.load(loader);
            IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
                    () -> registry.forScheme("shared", "shared:/x"));
            String m = e.getMessage();
            assertTrue(m.contains("scheme 'shared' is claimed by several providers"), m);
            assertTrue(m.contains("alpha (org.ipc4j.testproviders.AlphaProvider)"), m);
            assertTrue(m.contains("beta (org.ipc4j.testproviders.BetaProvider)"), m);
            assertTrue(m.contains("-Dipc.provider=<name>"), m);
            assertEquals("beta", registry.forScheme("beta", "beta:/x").name(), "unclaimed schemes still work");
        }
    }

    @Test
    void theFacadeRefusesAClaimedTwiceSchemeNamingBothProviders() throws Exception {
        URL[] path = {providers("clash"), location(ProviderLookupTest.class), location(IpcProvider.class)};
        try (URLClassLoader fresh = new URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            Method connect = fresh.loadClass("org.ipc4j.Ipc").getMethod("connect", String.class);
            InvocationTargetException call = assertThrows(InvocationTargetException.class,
                    () -> connect.invoke(null, "shared:/x"));
            Throwable e = call.getCause();
            assertEquals(IpcUnavailableException.class.getName(), e.getClass().getName());
            assertTrue(e.getMessage().contains("alpha (org.ipc4j.testproviders.AlphaProvider) and beta"
                    + " (org.ipc4j.testproviders.BetaProvider)"), e.getMessage());
        }
    }

    @Test
    void ipcProviderPropertyChoosesAmongClaimants() throws Exception {
        // the property is read once, when the registry loads; it is restored before anything else runs
        String before = System.getProperty(ProviderRegistry.PROVIDER_PROPERTY);
        ProviderRegistry registry;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {providers("clash")}, getClass().getClassLoader())) {
            System.setProperty(ProviderRegistry.PROVIDER_PROPERTY, "beta");
            try {
                registry = ProviderRegistry.load(loader);
            } finally {
                if (before == null) {
                    System.clearProperty(ProviderRegistry.PROVIDER_PROPERTY);
                } else {
                    System.setProperty(ProviderRegistry.PROVIDER_PROPERTY, before);
                }
            }
            assertEquals("beta", registry.forScheme("shared", "shared:/x").name());
            assertEquals("alpha", registry.forScheme("alpha", "alpha:/x").name());
        }
    }

    @Test
    void aBrokenProviderIsSkippedAndReportedWithLaterFailures() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {providers("broken")}, getClass().getClassLoader())) {
            ProviderRegistry registry = ProviderRegistry.load(loader);
            assertEquals(List.of("beta", "shared"), registry.schemes(), "the good provider after the broken one loads");
            IpcUnavailableException e = assertThrows(IpcUnavailableException.class,
                    () -> registry.forScheme("alpha", "alpha:/x"));
            assertEquals(1, e.getSuppressed().length, "the load failure is attached");
            assertTrue(e.getSuppressed()[0].getMessage().contains("NoSuchProvider"), e.getSuppressed()[0].getMessage());
        }
    }

    @Test
    void servicesDirectoriesExist() throws Exception {
        for (String which : List.of("alpha", "clash", "broken")) {
            Path dir = Path.of(providers(which).toURI());
            assertTrue(dir.resolve("META-INF/services/org.ipc4j.spi.IpcProvider").toFile().isFile(), dir.toString());
        }
    }
}
