package org.ipc4j.inproc.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The count of one inproc semaphore, shared by every handle that opened it. */
final class SemaphoreState {
    final String name;
    final ReentrantLock lock = new ReentrantLock();
    final Condition released = lock.newCondition();
    int permits;

    SemaphoreState(String name, int permits) {
        this.name = name;
        this.permits = permits;
    }
}
