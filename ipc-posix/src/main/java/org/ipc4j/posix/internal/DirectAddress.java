package org.ipc4j.posix.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The address of the direct buffer last asked about: callers send from and receive into the same
 * few buffers, so JNA's lookup (a JNI call) runs once per buffer, not once per message. Used by one
 * thread at a time.
 */
final class DirectAddress {
    private ByteBuffer last;
    private long address;

    /** The address of {@code direct}'s byte at index 0. */
    long of(ByteBuffer direct) {
        if (direct != last) {
            address = Pointer.nativeValue(Native.getDirectBufferPointer(direct));
            last = direct;
        }
        return address;
    }
}
