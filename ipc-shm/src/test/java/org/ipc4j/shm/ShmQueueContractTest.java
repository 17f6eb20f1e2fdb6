package org.ipc4j.shm;

import org.ipc4j.testkit.contract.MessageQueueContract;

/** The test kit's queue contract against {@code shm:} queues. */
class ShmQueueContractTest extends MessageQueueContract {
    @Override
    protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
        return "shm:/ipc4j-c-" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize;
    }
}
