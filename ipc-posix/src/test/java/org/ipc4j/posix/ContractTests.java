package org.ipc4j.posix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.ipc4j.Channel;
import org.ipc4j.SignalService;
import org.ipc4j.posix.internal.PipeChannel;
import org.ipc4j.posix.internal.PosixSignals;
import org.ipc4j.posix.internal.Spawner;
import org.ipc4j.testkit.Peer;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.contract.ChannelContract;
import org.ipc4j.testkit.contract.ChannelFixture;
import org.ipc4j.testkit.contract.MessageQueueContract;
import org.ipc4j.testkit.contract.SemaphoreContract;
import org.ipc4j.testkit.contract.SignalHandlerContract;
import org.junit.jupiter.api.Nested;

/** Every mechanism of this module enrolled in the test kit's contract for its API type. */
class ContractTests {

    /** A SysV key from a unique name, in a range of its own. */
    static int key(String uniqueName, int base) {
        return base | (uniqueName.hashCode() & 0x00FF_FFFF);
    }

    @Nested
    class PosixQueue extends MessageQueueContract {
        @Override
        protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
            return "mq:/" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize;
        }
    }

    /** SysV {@code IPC_RMID} destroys the queue at once (see the README). */
    @Nested
    class SysvQueue extends MessageQueueContract {
        @Override
        protected boolean unlinkKeepsOpenHandlesWorking() {
            return false;
        }

        @Override
        protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
            return "sysvmq:" + key(uniqueName, 0x2A00_0000) + "?create&capacity=" + capacity
                    + "&maxMessageSize=" + maxMessageSize;
        }
    }

    @Nested
    class PosixSemaphore extends SemaphoreContract {
        @Override
        protected String semaphoreAddress(String uniqueName, int initialPermits) {
            return "sem:/" + uniqueName + "?create&initial=" + initialPermits;
        }
    }

    /** SysV {@code IPC_RMID} destroys the semaphore at once; {@code SEM_UNDO} gives dead holders' permits back. */
    @Nested
    class SysvSemaphore extends SemaphoreContract {
        @Override
        protected boolean unlinkKeepsOpenHandlesWorking() {
            return false;
        }

        @Override
        protected boolean deadHoldersPermitsComeBack() {
            return true;
        }

        @Override
        protected String semaphoreAddress(String uniqueName, int initialPermits) {
            return "sysvsem:" + key(uniqueName, 0x2B00_0000) + "?create&initial=" + initialPermits;
        }
    }

    @Nested
    class Signals extends SignalHandlerContract {
        @Override
        protected SignalService signals() {
            return PosixSignals.instance();
        }
    }

    @Nested
    class FifoPair extends ChannelContract {
        @Override
        protected ChannelFixture newFixture(String uniqueName) throws IOException {
            Path path = TestSupport.dir("contract").resolve(uniqueName);
            return ChannelFixture.symmetric("fifo:" + path + "?create", "fifo:" + path + "?create&side=b");
        }

        @Override
        protected int bulkMessages() {
            return 20_000;
        }
    }

    @Nested
    class AnonymousPipes extends ChannelContract {
        @Override
        protected ChannelFixture newFixture(String uniqueName) throws IOException {
            return new PipeFixture();
        }

        @Override
        protected int bulkMessages() {
            return 20_000;
        }
    }

    /**
     * Two pipes made here; the remote ends are used by a thread of this JVM through their numbers, or
     * placed on the same numbers in a spawned peer JVM.
     */
    static final class PipeFixture implements ChannelFixture {
        private final int[] toRemote = Spawner.pipe("contract pipe");
        private final int[] toLocal = Spawner.pipe("contract pipe");
        private boolean remoteEndsInChild;

        PipeFixture() throws IOException {
        }

        @Override
        public String remoteAddress() {
            return "pipe:?read=" + toRemote[0] + "&write=" + toLocal[1];
        }

        @Override
        public Channel openLocal(Duration timeout) throws IOException {
            return PipeChannel.of("pipe:?read=" + toLocal[0] + "&write=" + toRemote[1], toLocal[0], toRemote[1],
                    true, PipeChannelDefaults.MAX);
        }

        @Override
        public Peer startPeer(PeerJvm.Builder peer) throws IOException {
            ChildProcess child = ChildProcess.builder(peer.command())
                    .place(toRemote[0], toRemote[0]).place(toLocal[1], toLocal[1])
                    .stdin(ChildProcess.Stdio.PIPE).stdout(ChildProcess.Stdio.PIPE).stderr(ChildProcess.Stdio.PIPE)
                    .start();
            Spawner.closeQuietly(toRemote[0]);
            Spawner.closeQuietly(toLocal[1]);
            remoteEndsInChild = true;
            return ChildProcessPeer.wrap(peer.name(), child);
        }

        @Override
        public void close() {
            // the local channel owns the local ends; the remote ends belong to the remote channel or the child
        }

        @Override
        public String toString() {
            return "pipes " + remoteAddress() + (remoteEndsInChild ? " (in a child)" : "");
        }
    }

    /** The pipe channel's default largest message. */
    static final class PipeChannelDefaults {
        static final int MAX = org.ipc4j.posix.internal.FdChannel.DEFAULT_MAX_MESSAGE;

        private PipeChannelDefaults() {
        }
    }
}
