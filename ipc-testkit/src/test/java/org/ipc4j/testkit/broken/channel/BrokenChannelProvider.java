package org.ipc4j.testkit.broken.channel;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.ipc4j.spi.IpcProvider;

/**
 * Deliberately broken channel backends for the kit's own tests: each scheme of {@link ChannelFault}
 * ({@code chan-dropping:/name}, ...) is an {@code inproc:/name} channel with that one fault.
 */
public final class BrokenChannelProvider implements IpcProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BrokenChannelProvider() {
    }

    @Override
    public String name() {
        return "broken-channels";
    }

    @Override
    public Set<String> schemes() {
        return Arrays.stream(ChannelFault.values()).map(f -> f.scheme).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int priority() {
        return -200;
    }

    @Override
    public Channel connect(IpcAddress address) throws IOException {
        address.checkKeys();
        return new BrokenChannel(Ipc.connect("inproc:" + address.name()), ChannelFault.of(address.scheme()), address.text(), false);
    }

    @Override
    public ChannelListener listen(IpcAddress address) throws IOException {
        address.checkKeys();
        ChannelFault fault = ChannelFault.of(address.scheme());
        ChannelListener delegate = Ipc.listen("inproc:" + address.name());
        String text = address.text();
        return new ChannelListener() {
            @Override
            public String address() {
                return text;
            }

            @Override
            public Channel accept() throws IOException {
                return new BrokenChannel(delegate.accept(), fault, text, true);
            }

            @Override
            public Channel accept(Duration timeout) throws IOException {
                return new BrokenChannel(delegate.accept(timeout), fault, text, true);
            }

            @Override
            public boolean isOpen() {
                return delegate.isOpen();
            }

            @Override
            public void close() throws IOException {
                delegate.close();
            }
        };
    }
}
