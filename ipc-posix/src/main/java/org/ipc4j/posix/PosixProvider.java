package org.ipc4j.posix;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.ipc4j.Channel;
import org.ipc4j.IpcAddress;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SignalService;
import org.ipc4j.posix.internal.FifoChannel;
import org.ipc4j.posix.internal.PipeChannel;
import org.ipc4j.posix.internal.PosixMessageQueue;
import org.ipc4j.posix.internal.PosixSemaphore;
import org.ipc4j.posix.internal.PosixSignals;
import org.ipc4j.posix.internal.SysvMessageQueue;
import org.ipc4j.posix.internal.SysvSemaphore;
import org.ipc4j.spi.IpcProvider;

/**
 * The POSIX backend, named {@code posix}: schemes {@code pipe}, {@code fifo}, {@code mq},
 * {@code sysvmq}, {@code sem}, {@code sysvsem}, and a {@link SignalService}. See the module README
 * for every address key. The constructor touches no native code.
 */
public final class PosixProvider implements IpcProvider {
    private static final Set<String> SCHEMES = Set.of("pipe", "fifo", "mq", "sysvmq", "sem", "sysvsem");

    /** Used by {@link java.util.ServiceLoader}. */
    public PosixProvider() {
    }

    @Override
    public String name() {
        return "posix";
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Channel connect(IpcAddress address) throws IOException {
        switch (address.scheme()) {
            case "pipe":
                return PipeChannel.open(address);
            case "fifo":
                return FifoChannel.open(address);
            default:
                throw unsupported(address, "channels");
        }
    }

    @Override
    public MessageQueue openQueue(IpcAddress address) throws IOException {
        switch (address.scheme()) {
            case "mq":
                return PosixMessageQueue.open(address);
            case "sysvmq":
                return SysvMessageQueue.open(address);
            default:
                throw unsupported(address, "message queues");
        }
    }

    @Override
    public Semaphore openSemaphore(IpcAddress address) throws IOException {
        switch (address.scheme()) {
            case "sem":
                return PosixSemaphore.open(address);
            case "sysvsem":
                return SysvSemaphore.open(address);
            default:
                throw unsupported(address, "semaphores");
        }
    }

    @Override
    public Optional<SignalService> signals() {
        return Optional.of(PosixSignals.instance());
    }
}
