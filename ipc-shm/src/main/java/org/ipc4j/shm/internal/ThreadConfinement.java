package org.ipc4j.shm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.ipc4j.ChannelClosedException;

/**
 * The one thread allowed to send (or to receive) on a channel end opened with {@code singleSender}
 * (or {@code singleReceiver}): the first thread to do so claims the role, and its calls then take
 * no lock. Another thread is refused loudly; a close from another thread cannot wait for the owner
 * (no lock to take), so it asks {@link #isOut()} whether the owner may still be inside.
 */
final class ThreadConfinement {
    private static final Object CLOSED = new Object();
    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(ThreadConfinement.class, "owner", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** "send" or "receive", for messages. */
    private final String operation;
    /** The address option that asked for it, for messages. */
    private final String option;
    /** Null, then the owning thread, or {@link #CLOSED} if the channel closed before anyone claimed it. */
    private volatile Object owner;

    ThreadConfinement(String operation, String option) {
        this.operation = operation;
        this.option = option;
    }

    /** True if {@code thread} holds the role: its fast path. */
    boolean isHeldBy(Thread thread) {
        return owner == thread;
    }

    /**
     * Makes the calling thread the owner, or refuses it; nothing to do (two reads) if it already is.
     *
     * @throws ChannelClosedException if the channel closed before anyone claimed the role
     * @throws IllegalStateException naming both threads if another thread holds it
     */
    void claim(String address) throws ChannelClosedException {
        Thread me = Thread.currentThread();
        Object current = owner;
        if (current == me || current == null && OWNER.compareAndSet(this, null, me)) {
            return;
        }
        current = owner;
        if (current == CLOSED) {
            throw new ChannelClosedException(address);
        }
        throw new IllegalStateException(operation + " on '" + address + "' from thread '" + me.getName()
                + "': the channel was opened with " + option + ", and thread '" + ((Thread) current).getName()
                + "' does that on it; open it without " + option + " to " + operation + " from several threads");
    }

    /**
     * After the channel is marked closed: true if no thread can be in, or enter, the lock-free
     * path (nobody claimed the role, which is now closed to claims; the owner is the caller; or the
     * owner has ended).
     */
    boolean isOut() {
        if (owner == null && OWNER.compareAndSet(this, null, CLOSED)) {
            return true;
        }
        Object current = owner;
        return current == CLOSED || current == Thread.currentThread() || !((Thread) current).isAlive();
    }
}
