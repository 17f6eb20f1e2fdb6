package org.ipc4j.testkit.contract;

/**
 * Behaviour every {@link org.ipc4j.MessageQueue} backend must show, in-process and against a peer JVM.
 * Extend it and implement {@link #queueAddress(String, int, int)}.
 */
public abstract class MessageQueueContract {

    /** For subclasses: one per backend under test. */
    protected MessageQueueContract() {
    }


    /**
     * The address of a fresh queue, with {@code create} so that whichever side opens first creates it.
     *
     * @param uniqueName unique per test and run; letters, digits and '-'
     * @param capacity the number of messages the queue must hold
     * @param maxMessageSize the largest message in bytes
     */
    protected abstract String queueAddress(String uniqueName, int capacity, int maxMessageSize);

    /** False if the queue cannot be shared with another process (the {@code inproc:} backend). */
    protected boolean crossProcess() {
        return true;
    }
}
