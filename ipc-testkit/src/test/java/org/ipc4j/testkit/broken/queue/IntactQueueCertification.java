package org.ipc4j.testkit.broken.queue;

import org.ipc4j.testkit.contract.MessageQueueContract;

/**
 * {@link MessageQueueContract} on the {@link QueueFault#NONE} backend. Not a surefire test by name: run by
 * {@link BrokenQueueBackendsTest}, which checks how it fares.
 */
public class IntactQueueCertification extends MessageQueueContract {

    @Override
    protected String queueAddress(String uniqueName, int capacity, int maxMessageSize) {
        return QueueFault.NONE.scheme + ":/" + uniqueName + "?create&capacity=" + capacity + "&maxMessageSize=" + maxMessageSize;
    }

    @Override
    protected boolean crossProcess() {
        return false;
    }
}
