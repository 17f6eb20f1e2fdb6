package org.ipc4j.shm;

import java.io.IOException;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.SharedRegion;
import org.ipc4j.shm.internal.ShmChannels;
import org.ipc4j.shm.internal.ShmQueue;
import org.ipc4j.shm.internal.ShmRegion;
import org.ipc4j.spi.IpcProvider;

/**
 * The {@code shm:} scheme: files in {@code /dev/shm} (where {@code shm_open} keeps them) mapped into
 * every process that opens them.
 *
 * <ul>
 *   <li>{@code Ipc.openRegion("shm:/name?create&size=1MiB")}: a {@link SharedRegion}; keys
 *       {@code size}, {@code raw} (no header, for C and Python peers).</li>
 *   <li>{@code Ipc.listen("shm:/name")} / {@code Ipc.connect("shm:/name")}: a {@link Channel} of two
 *       single-producer single-consumer rings; keys {@code capacity}, {@code maxMessageSize},
 *       {@code wait=spin|block|spinThenBlock}.</li>
 *   <li>{@code Ipc.openQueue("shm:/name?create&capacity=64&maxMessageSize=8KiB")}: a
 *       {@link MessageQueue} for many producers and consumers; keys {@code capacity},
 *       {@code maxMessageSize}, {@code unblockTimeout}, {@code wait}.</li>
 * </ul>
 * The module README documents the layouts, the wait strategies and how a dead peer is noticed.
 * The constructor touches no native code.
 */
public final class ShmProvider implements IpcProvider {

    /** Creates the provider; used by {@link java.util.ServiceLoader}. */
    public ShmProvider() {
    }

    @Override
    public String name() {
        return "shm";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("shm");
    }

    @Override
    public SharedRegion openRegion(IpcAddress address) throws IOException {
        return ShmRegion.open(address);
    }

    @Override
    public ChannelListener listen(IpcAddress address) throws IOException {
        return ShmChannels.listen(address);
    }

    @Override
    public Channel connect(IpcAddress address) throws IOException {
        return ShmChannels.connect(address);
    }

    @Override
    public MessageQueue openQueue(IpcAddress address) throws IOException {
        return ShmQueue.open(address);
    }
}
