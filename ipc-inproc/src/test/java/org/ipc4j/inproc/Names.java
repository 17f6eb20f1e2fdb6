package org.ipc4j.inproc;

import java.util.concurrent.atomic.AtomicLong;

/** Unique inproc names, so that tests never meet each other's objects. */
final class Names {
    private static final AtomicLong COUNTER = new AtomicLong();

    private Names() {
    }

    static String unique(String prefix) {
        return "inproc:/" + prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }
}
