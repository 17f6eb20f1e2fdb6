package org.ipc4j.inproc;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;
import org.ipc4j.SignalService;
import org.ipc4j.inproc.internal.InprocListener;
import org.ipc4j.inproc.internal.InprocQueue;
import org.ipc4j.inproc.internal.InprocRegion;
import org.ipc4j.inproc.internal.InprocSemaphore;
import org.ipc4j.inproc.internal.InprocSignals;
import org.ipc4j.spi.IpcProvider;

/**
 * The {@code inproc:} reference backend: every object lives in this JVM and is shared by name between
 * its threads, like ZeroMQ's {@code inproc} transport. It honours every contract of the API exactly,
 * so the test kit is proven on it before any native backend exists; nothing here crosses a process
 * boundary.
 *
 * <p>Addresses are {@code inproc:/name} (one component). Channels, queues, regions and semaphores
 * have separate name spaces. Keys besides {@code create}, {@code exclusive}, {@code mode} (ignored)
 * and {@code timeout} (on connect: how long to wait for a listener to appear):
 * <table>
 *   <caption>Query keys</caption>
 *   <tr><th>object</th><th>key</th><th>default</th></tr>
 *   <tr><td>channel (listen and connect)</td><td>{@code maxMessageSize}, a size</td><td>1MiB; a connection
 *       uses the smaller of the two sides' values</td></tr>
 *   <tr><td>channel (listen and connect)</td><td>{@code capacity}, messages buffered towards that side</td>
 *       <td>1024</td></tr>
 *   <tr><td>queue</td><td>{@code capacity}, {@code maxMessageSize}, {@code maxPriority}</td>
 *       <td>10, 8KiB, 31</td></tr>
 *   <tr><td>region</td><td>{@code size}</td><td>required when creating</td></tr>
 *   <tr><td>semaphore</td><td>{@code initial}</td><td>0</td></tr>
 * </table>
 *
 * <p>{@link #signals()} is a simulated bus: handlers run on the daemon thread {@code inproc-signal}
 * when a signal is sent to this JVM's own pid; no operating-system signal is sent or caught.
 */
public final class InprocProvider implements IpcProvider {
    /** The provider's name and its one scheme. */
    public static final String NAME = "inproc";

    /** Made by {@link java.util.ServiceLoader}; all instances share the same named objects. */
    public InprocProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> schemes() {
        return Set.of(NAME);
    }

    /** -100: a reference backend, never preferred over a native one for signals. */
    @Override
    public int priority() {
        return -100;
    }

    /** Connects to the listener at the name; {@link org.ipc4j.ObjectNotFoundException} if none. */
    @Override
    public Channel connect(IpcAddress address) throws IOException {
        return InprocListener.connect(address);
    }

    /** Listens at the name; {@link org.ipc4j.ObjectExistsException} if another listener holds it. */
    @Override
    public ChannelListener listen(IpcAddress address) throws IOException {
        return InprocListener.listen(address);
    }

    @Override
    public MessageQueue openQueue(IpcAddress address) throws IOException {
        return InprocQueue.open(address);
    }

    @Override
    public SharedRegion openRegion(IpcAddress address) throws IOException {
        return InprocRegion.open(address);
    }

    @Override
    public Semaphore openSemaphore(IpcAddress address) throws IOException {
        return InprocSemaphore.open(address);
    }

    @Override
    public Optional<SignalService> signals() {
        return Optional.of(InprocSignals.INSTANCE);
    }

    @Override
    public String toString() {
        return "InprocProvider[inproc:]";
    }
}
