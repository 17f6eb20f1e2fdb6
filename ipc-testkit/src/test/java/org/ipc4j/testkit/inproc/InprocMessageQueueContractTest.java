package org.ipc4j.testkit.inproc;

import org.ipc4j.testkit.contract.MessageQueueContract;

/** The queue contract on the reference backend: every in-process case passes. */
class InprocMessageQueueContractTest extends MessageQueueContract {
    @Override
    protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
        return "inproc:/" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
