package org.ipc4j.testkit.mapped;

import org.ipc4j.testkit.contract.MessageQueueContract;

/** The queue contract, peer JVM cases included, on the kit's own mapped-file queues. */
class QueueMappedContractTest extends MessageQueueContract {
    @Override
    protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
        return RegionMappedProvider.QUEUE + ":/" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize="
                + maxMessageSize;
    }
}
