package org.ipc4j.inproc.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The memory of one inproc region: a direct buffer, 8-byte aligned, native byte order. */
final class RegionState {
    final String name;
    final ByteBuffer memory;

    RegionState(String name, int size) {
        this.name = name;
        // over-allocate so that offset 0 can sit on an 8-byte boundary, as atomic accesses need
        ByteBuffer raw = ByteBuffer.allocateDirect(size + 16);
        ByteBuffer aligned = raw.alignedSlice(8);
        this.memory = aligned.limit(size).slice().order(ByteOrder.nativeOrder());
    }
}
