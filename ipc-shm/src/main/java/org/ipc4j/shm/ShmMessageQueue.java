package org.ipc4j.shm;

import org.ipc4j.MessageQueue;

/**
 * What an {@code shm:} {@link MessageQueue} tells beyond the API: cast the queue from
 * {@link org.ipc4j.Ipc#openQueue(String)} to read it.
 */
public interface ShmMessageQueue extends MessageQueue {

    /**
     * Slots given up so far by every process using the queue: a producer that claimed a slot and died
     * (or stalled past {@code unblockTimeout}) before publishing, or a consumer that died while copying
     * a message out. A producer that stalled and resumes sends its message again in a new slot, so
     * its message is not lost, but its first claim still counts here.
     */
    long lostClaims();
}
