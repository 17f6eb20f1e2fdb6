package org.ipc4j.inproc.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** One direction of an inproc channel: a bounded FIFO of messages, guarded by the link's lock. */
final class Pipe {
    final ArrayDeque<byte[]> messages = new ArrayDeque<>();
    final Condition notEmpty;
    final Condition notFull;
    final int capacity;
    /** The sending end closed: the receiver drains, then sees end of stream. */
    boolean writerClosed;
    /** The receiving end closed: the sender gets PeerClosedException. */
    boolean readerClosed;

    Pipe(ReentrantLock lock, int capacity) {
        this.notEmpty = lock.newCondition();
        this.notFull = lock.newCondition();
        this.capacity = capacity;
    }

    boolean full() {
        return messages.size() >= capacity;
    }
}
