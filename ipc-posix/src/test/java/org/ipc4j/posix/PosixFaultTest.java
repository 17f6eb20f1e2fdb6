package org.ipc4j.posix;

import java.io.IOException;
import java.nio.file.Path;
import org.ipc4j.SignalService;
import org.ipc4j.posix.internal.PosixSignals;
import org.ipc4j.testkit.contract.ChannelFixture;
import org.ipc4j.testkit.fault.ChannelFaultContract;
import org.ipc4j.testkit.fault.QueueFaultContract;
import org.ipc4j.testkit.fault.SemaphoreFaultContract;
import org.ipc4j.testkit.fault.SignalFaultContract;
import org.junit.jupiter.api.Nested;

/** Every mechanism of this module enrolled in the test kit's fault-injection suite. */
class PosixFaultTest {

    /** Anonymous pipes to a child spawned with {@link ChildProcess}: no file, so no full-tmpfs case. */
    @Nested
    class AnonymousPipes extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String uniqueName) throws IOException {
            return new ContractTests.PipeFixture();
        }
    }

    @Nested
    class FifoPair extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String uniqueName) throws IOException {
            Path path = TestSupport.dir("fault").resolve(uniqueName);
            // the open's timeout (default 30 s) is the address's: keep it short, as the peer may be killed before it opens
            return ChannelFixture.symmetric("fifo:" + path + "?create&timeout=3s", "fifo:" + path + "?create&side=b");
        }

        @Override
        protected String creationIn(Path directory, String uniqueName) {
            return "connect fifo:" + directory.resolve(uniqueName) + "?create";
        }
    }

    @Nested
    class PosixQueue extends QueueFaultContract {
        @Override
        protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
            return "mq:/" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize;
        }
    }

    @Nested
    class SysvQueue extends QueueFaultContract {
        @Override
        protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
            return "sysvmq:" + ContractTests.key(uniqueName, 0x2C00_0000) + "?create&capacity=" + capacity
                    + "&maxMessageSize=" + maxMessageSize;
        }
    }

    /** POSIX named semaphores live in {@code /dev/shm} as {@code sem.<name>}; a dead holder's permits stay taken. */
    @Nested
    class PosixSemaphore extends SemaphoreFaultContract {
        @Override
        protected String semaphoreAddress(String uniqueName, int initialPermits) {
            return "sem:/" + uniqueName + "?create&initial=" + initialPermits;
        }

        @Override
        protected Path storageDirectory() {
            return Path.of("/dev/shm");
        }
    }

    /** SysV semaphores are taken with {@code SEM_UNDO}: a dead holder's permits come back. */
    @Nested
    class SysvSemaphore extends SemaphoreFaultContract {
        @Override
        protected String semaphoreAddress(String uniqueName, int initialPermits) {
            return "sysvsem:" + ContractTests.key(uniqueName, 0x2D00_0000) + "?create&initial=" + initialPermits;
        }

        @Override
        protected boolean deadHoldersPermitsComeBack() {
            return true;
        }
    }

    /** A signal to a killed peer is an ObjectNotFoundException, never silence. */
    @Nested
    class Signals extends SignalFaultContract {
        @Override
        protected SignalService signals() {
            return PosixSignals.instance();
        }
    }
}
