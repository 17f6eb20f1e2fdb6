package org.ipc4j.testkit.permission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Semaphore;
import org.ipc4j.SharedRegion;

/**
 * An object the owner (this JVM) created for one case: marks it with a known state, checks that the
 * other user left it as it was (or used it, when the mode let it), and removes it.
 */
final class OwnedObject implements AutoCloseable {
    static final long MARK = 0x1C4_0600L;
    private static final byte[] OWNER_MESSAGE = "from the owner".getBytes(StandardCharsets.UTF_8);
    private static final Duration T = Duration.ofSeconds(10);

    private final PermissionSubject subject;
    private final String name;
    private final String address;
    private final AutoCloseable handle;
    private final CompletableFuture<Channel> pending;
    private final Thread opener;
    private final CompletableFuture<byte[]> answered = new CompletableFuture<>();
    private final Object fileKey;

    private OwnedObject(PermissionSubject subject, String name, String address, AutoCloseable handle,
            CompletableFuture<Channel> pending, Thread opener) throws IOException {
        this.subject = subject;
        this.name = name;
        this.address = address;
        this.handle = handle;
        this.pending = pending;
        this.opener = opener;
        Optional<Path> file = subject.file(name);
        this.fileKey = file.isPresent() ? attributes(file.get()).fileKey() : null;
    }

    /** Creates {@code name} at {@code address} as the owner; returns once it exists. */
    static OwnedObject create(PermissionSubject subject, String name, String address) throws IOException {
        switch (subject.type()) {
            case QUEUE:
                return new OwnedObject(subject, name, address, Ipc.openQueue(address), null, null);
            case SEMAPHORE:
                return new OwnedObject(subject, name, address, Ipc.openSemaphore(address), null, null);
            case REGION:
                return new OwnedObject(subject, name, address, Ipc.openRegion(address), null, null);
            case LISTENER:
                return new OwnedObject(subject, name, address, Ipc.listen(address), null, null);
            case FIFO:
                return new OwnedObject(subject, name, address, Ipc.connect(address), null, null);
            case DATAGRAM:
                return new OwnedObject(subject, name, address, Ipc.connect(address), null, null);
            default:
                throw new IllegalStateException("unknown type " + subject.type());
        }
    }

    /**
     * Like {@link #create}, but a datagram end, which meets its peer only once the other user binds
     * it, is opened on a thread and returned once it is bound (a socket at its file).
     */
    static OwnedObject createAwaitingPeer(PermissionSubject subject, String name, String address) throws IOException {
        if (subject.type() != PermissionSubject.Type.DATAGRAM) {
            return create(subject, name, address);
        }
        Path file = subject.file(name).orElseThrow(() -> new IllegalStateException(subject + ": a DATAGRAM needs file(...)"));
        CompletableFuture<Channel> pending = new CompletableFuture<>();
        CompletableFuture<OwnedObject> self = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            Channel c;
            try {
                c = Ipc.connect(address);
                pending.complete(c);
            } catch (Throwable t) {
                pending.completeExceptionally(t);
                return;
            }
            // the other user waits for an answer before it closes its end, so answer from here, at once
            try {
                byte[] got = receive(c);
                c.send(ByteBuffer.wrap(OWNER_MESSAGE), T);
                self.join().answered.complete(got);
            } catch (Throwable t) {
                self.join().answered.completeExceptionally(t);
            }
        }, "open " + address);
        opener.setDaemon(true);
        opener.start();
        long deadline = System.nanoTime() + T.toNanos();
        // created once it is bound (a socket at its path) or the open ended; a spin on lstat, since
        // the bind happens inside the library's call with nothing to wait on
        while (!pending.isDone() && !isSocket(file)) {
            if (System.nanoTime() > deadline) {
                opener.interrupt();
                throw new AssertionError(subject + ": " + address + " neither bound " + file + " nor failed within " + T);
            }
            Thread.onSpinWait();
        }
        if (pending.isCompletedExceptionally()) {
            rethrow(pending);
        }
        OwnedObject o = new OwnedObject(subject, name, address, null, pending, opener);
        self.complete(o);
        return o;
    }

    private static boolean isSocket(Path file) {
        try {
            return attributes(file).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private static void rethrow(CompletableFuture<Channel> pending) throws IOException {
        try {
            pending.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        }
    }

    static PosixFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** Puts the owner's mark in the object. */
    void mark() throws IOException {
        switch (subject.type()) {
            case QUEUE -> ((MessageQueue) handle).send(ByteBuffer.wrap(OWNER_MESSAGE), 0, T);
            case SEMAPHORE -> {
                Semaphore s = (Semaphore) handle;
                s.release();
                s.release();
            }
            case REGION -> ((SharedRegion) handle).putLongVolatile(0, MARK);
            default -> {
                // a listener, FIFO or datagram end holds no state of its own
            }
        }
    }

    /** Asserts the object is as the owner left it: same file and mode, same content. */
    void assertUnchanged(String context) throws IOException {
        assertSameFile(context);
        switch (subject.type()) {
            case QUEUE -> {
                MessageQueue q = (MessageQueue) handle;
                assertEquals(1, q.size(), context + ": the queue must hold the owner's one message");
                assertArrayEquals(OWNER_MESSAGE, receive(q), context);
            }
            case SEMAPHORE -> assertEquals(2, ((Semaphore) handle).availablePermits(),
                    context + ": the semaphore must keep the owner's two permits");
            case REGION -> {
                SharedRegion r = (SharedRegion) handle;
                assertEquals(MARK, r.getLongVolatile(0), context + ": the owner's mark at offset 0");
                assertEquals(0, r.getLongVolatile(PermissionProbePeer.OTHER_OFFSET), context + ": offset "
                        + PermissionProbePeer.OTHER_OFFSET + " must stay 0");
            }
            case LISTENER -> assertTrue(((ChannelListener) handle).isOpen(), context + ": the listener must stay open");
            case FIFO -> assertTrue(((Channel) handle).isOpen(), context + ": the FIFO end must stay open");
            case DATAGRAM -> assertTrue(handle != null ? ((Channel) handle).isOpen() : !pending.isCompletedExceptionally(),
                    context + ": the datagram end must stay open");
            default -> throw new IllegalStateException();
        }
    }

    /** Asserts the other user's use arrived: its message, its permit, its write. */
    void assertUsedByOther(String context) throws Exception {
        byte[] other = PermissionProbePeer.OTHER_MESSAGE.getBytes(StandardCharsets.UTF_8);
        switch (subject.type()) {
            case QUEUE -> {
                MessageQueue q = (MessageQueue) handle;
                assertArrayEquals(OWNER_MESSAGE, receive(q), context);
                assertArrayEquals(other, receive(q), context + ": the other user's message");
            }
            case SEMAPHORE -> assertEquals(3, ((Semaphore) handle).availablePermits(),
                    context + ": the owner's two permits and the other user's one");
            case REGION -> assertEquals(OtherUser.UID,
                    ((SharedRegion) handle).getLongVolatile(PermissionProbePeer.OTHER_OFFSET), context);
            case LISTENER -> {
                try (Channel c = ((ChannelListener) handle).accept(T)) {
                    assertArrayEquals(other, receive(c), context + ": the other user's message");
                }
            }
            case FIFO -> assertArrayEquals(other, receive((Channel) handle), context + ": the other user's message");
            case DATAGRAM -> assertArrayEquals(other, handle != null ? receive((Channel) handle)
                    : answered.get(T.toMillis(), TimeUnit.MILLISECONDS), context + ": the other user's datagram");
            default -> throw new IllegalStateException();
        }
    }

    private static byte[] receive(MessageQueue q) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(q.maxMessageSize());
        int n = q.receive(b, T).length();
        return Arrays.copyOf(b.array(), n);
    }

    private static byte[] receive(Channel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        int n = c.receive(b, T);
        return n < 0 ? new byte[0] : Arrays.copyOf(b.array(), n);
    }

    private void assertSameFile(String context) throws IOException {
        Optional<Path> file = subject.file(name);
        if (file.isPresent()) {
            PosixFileAttributes a = attributes(file.get());
            assertEquals(fileKey, a.fileKey(), context + ": " + file.get() + " must still be the owner's file");
            assertEquals("root", a.owner().getName(), context + ": owner of " + file.get());
        }
    }

    String address() {
        return address;
    }

    /** Closes the owner's handle and removes the object. */
    @Override
    public void close() throws IOException {
        try {
            switch (subject.type()) {
                case QUEUE -> ((MessageQueue) handle).unlink();
                case SEMAPHORE -> ((Semaphore) handle).unlink();
                case REGION -> ((SharedRegion) handle).unlink();
                default -> {
                    // closing removes a socket file; a FIFO's file is deleted below
                }
            }
        } finally {
            if (handle != null) {
                closeHandle();
            }
            if (pending != null) {
                closePending();
            }
            Optional<Path> file = subject.file(name);
            if (file.isPresent() && subject.type() == PermissionSubject.Type.FIFO) {
                Files.deleteIfExists(file.get());
            }
        }
    }

    private void closeHandle() throws IOException {
        try {
            handle.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("closing " + address, e);
        }
    }

    private void closePending() throws IOException {
        if (!pending.isDone() || !answered.isDone()) {
            opener.interrupt();  // the library's connect retry checks the interrupt and gives up
        }
        try {
            pending.get(T.toMillis(), TimeUnit.MILLISECONDS).close();
        } catch (ExecutionException | TimeoutException e) {
            // the open never completed; the opener's own failure path removes its socket file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("closing " + address);
        }
    }
}
