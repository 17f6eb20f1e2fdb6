package org.ipc4j.inproc.internal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The messages of one inproc queue, shared by every handle that opened it. */
final class QueueState {
    final String name;
    final int capacity;
    final int maxMessageSize;
    final int maxPriority;
    final ReentrantLock lock = new ReentrantLock();
    final Condition notEmpty = lock.newCondition();
    final Condition notFull = lock.newCondition();
    /** Priority to its messages in send order; highest priority last. Empty lists are removed. */
    private final TreeMap<Integer, ArrayDeque<byte[]>> byPriority = new TreeMap<>();
    private int count;

    QueueState(String name, int capacity, int maxMessageSize, int maxPriority) {
        this.name = name;
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.maxPriority = maxPriority;
    }

    int count() {
        return count;
    }

    boolean full() {
        return count >= capacity;
    }

    void add(byte[] message, int priority) {
        byPriority.computeIfAbsent(priority, p -> new ArrayDeque<>()).addLast(message);
        count++;
    }

    /** The oldest message of the highest priority present, or null. */
    Map.Entry<Integer, ArrayDeque<byte[]>> head() {
        return byPriority.lastEntry();
    }

    void removeHead(Map.Entry<Integer, ArrayDeque<byte[]>> head) {
        head.getValue().pollFirst();
        if (head.getValue().isEmpty()) {
            byPriority.remove(head.getKey());
        }
        count--;
    }
}
