package org.ipc4j.testkit.broken.queue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.ipc4j.Ipc;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.spi.IpcProvider;

/**
 * Deliberately broken queue backends for the kit's own tests: each scheme of {@link QueueFault}
 * ({@code queue-dropping:/name?...}) is the {@code inproc:/name?...} queue with that one fault.
 */
public final class BrokenQueueProvider implements IpcProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BrokenQueueProvider() {
    }

    @Override
    public String name() {
        return "broken-queues";
    }

    @Override
    public Set<String> schemes() {
        return Arrays.stream(QueueFault.values()).map(f -> f.scheme).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int priority() {
        return -200;
    }

    @Override
    public MessageQueue openQueue(IpcAddress address) throws IOException {
        String text = address.text();
        MessageQueue delegate = Ipc.openQueue("inproc:" + text.substring(address.scheme().length() + 1));
        return new BrokenQueue(delegate, QueueFault.of(address.scheme()), text);
    }
}
