package org.ipc4j.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ServiceLoader;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.spi.IpcProvider;
import org.junit.jupiter.api.Test;

class InprocProviderTest {

    @Test
    void isFoundByServiceLoaderAndServesTheInprocScheme() {
        IpcProvider p = ServiceLoader.load(IpcProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x instanceof InprocProvider)
                .findFirst().orElseThrow();
        assertEquals("inproc", p.name());
        assertEquals(java.util.Set.of("inproc"), p.schemes());
        assertTrue(p.priority() < 0, "a reference backend is never preferred");
        assertTrue(Ipc.schemes().contains("inproc"));
    }

    @Test
    void allProviderInstancesShareTheNamedObjects() throws IOException {
        String address = Names.unique("shared");
        try (MessageQueue a = new InprocProvider().openQueue(org.ipc4j.IpcAddress.parse(address + "?create"));
             MessageQueue b = Ipc.openQueue(address)) {
            a.send(java.nio.ByteBuffer.allocate(3));
            assertEquals(1, b.size());
            a.unlink();
        }
    }
}
