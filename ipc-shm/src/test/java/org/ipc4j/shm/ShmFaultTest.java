package org.ipc4j.shm;

import java.io.IOException;
import java.nio.file.Path;
import org.ipc4j.MessageQueue;
import org.ipc4j.shm.internal.ClaimPeer;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.contract.ChannelFixture;
import org.ipc4j.testkit.fault.ChannelFaultContract;
import org.ipc4j.testkit.fault.QueueFaultContract;
import org.ipc4j.testkit.fault.RegionFaultContract;
import org.junit.jupiter.api.Nested;

/** Shared-memory channels, queues and regions enrolled in the test kit's fault-injection suite. */
class ShmFaultTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");

    @Nested
    class Channels extends ChannelFaultContract {
        @Override
        protected ChannelFixture newFixture(String uniqueName) throws IOException {
            return ChannelFixture.listening("shm:/ipc4j-f-" + uniqueName);
        }

        @Override
        protected void configurePeer(PeerJvm.Builder peer) {
            peer.jvmFlags("-Dorg.slf4j.simpleLogger.log.net.openhft=off");
        }

        @Override
        protected String creationIn(Path directory, String uniqueName) {
            return "listen shm:/" + uniqueName;
        }

        @Override
        protected Path creationDirectory() {
            return DEV_SHM;
        }
    }

    /** A killed producer's claim becomes padding, counted in {@link ShmMessageQueue#lostClaims()}. */
    @Nested
    class Queues extends QueueFaultContract {
        @Override
        protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
            return "shm:/ipc4j-f-" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize;
        }

        @Override
        protected void configurePeer(PeerJvm.Builder peer) {
            peer.jvmFlags("-Dorg.slf4j.simpleLogger.log.net.openhft=off");
        }

        @Override
        protected long lostMessages(MessageQueue queue) {
            return ((ShmMessageQueue) queue).lostClaims();
        }

        @Override
        protected PeerJvm.Builder claimWithoutPublish(String address) {
            return PeerJvm.builder(ClaimPeer.class).args(address);
        }

        @Override
        protected Path storageDirectory() {
            return DEV_SHM;
        }
    }

    @Nested
    class Regions extends RegionFaultContract {
        @Override
        protected String regionAddress(String uniqueName, long size) {
            return "shm:/" + uniqueName + "?create&size=" + size;
        }

        @Override
        protected Path storageDirectory() {
            return DEV_SHM;
        }

        @Override
        protected void configurePeer(PeerJvm.Builder peer) {
            peer.jvmFlags("-Dorg.slf4j.simpleLogger.log.net.openhft=off");
        }
    }
}
