package org.ipc4j.testkit.permission;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One kind of object a backend creates, as the permission suite sees it: how the owner creates it
 * (an address to which the suite appends {@code &mode=...} or {@code &exclusive}), where its mode is
 * kept, which file it is (if any), and what the other user tries on it.
 *
 * <pre>{@code
 * PermissionSubject.of("mq", PermissionSubject.Type.QUEUE,
 *         name -> "mq:/" + name + "?create&capacity=4&maxMessageSize=64")
 *     .mode(name -> ObjectMode.ofPosixQueue("/" + name))
 *     .noFile("an mq: queue lives in the mqueue filesystem, which refuses links (EPERM)")
 *     .unlinkAttempt(name -> Attempt.unlinkBy("org.example.Unlink#mq", "/" + name))
 * }</pre>
 *
 * <p>What the other user tries by default ({@link #attempts(String)}): for a queue, open to send and
 * open to receive; a semaphore, open to acquire and to release; a region, open to read and to write;
 * a listener, connect and send. FIFO and datagram ends have no default: give them with
 * {@link #attempts(Function)}. Then every unlink attempt of {@link #unlinkAttempt(Function)}, or
 * deleting the file.
 */
public final class PermissionSubject {

    /** The API type of the object, which decides how the owner creates, marks and checks it. */
    public enum Type {
        /** {@code Ipc.openQueue}: the owner leaves one message in it. */
        QUEUE,
        /** {@code Ipc.openSemaphore}: the owner releases two permits (create it with 0). */
        SEMAPHORE,
        /** {@code Ipc.openRegion}: the owner writes a long at offset 0 (create it with 16 bytes or more). */
        REGION,
        /** {@code Ipc.listen}: the owner listens; another user who gets in connects and sends. */
        LISTENER,
        /** {@code Ipc.connect} of a FIFO read end the owner creates. */
        FIFO,
        /**
         * {@code Ipc.connect} of a datagram end the owner binds; it may wait for its peer to bind, so
         * it is opened on a thread and counts as created once {@link #file(String)} is a socket.
         */
        DATAGRAM
    }

    private final String kind;
    private final Type type;
    private final Function<String, String> address;
    private Function<String, String> widenedAddress;
    private Function<String, Path> file;
    private String noFileReason = "no file: the kernel keeps it";
    private ModeReader mode;
    private Function<String, List<Attempt>> attempts;
    private Function<String, Attempt> use;
    private Function<String, List<Attempt>> unlinkAttempts;
    private String exclusiveKey = "exclusive";

    private PermissionSubject(String kind, Type type, Function<String, String> address) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.type = Objects.requireNonNull(type, "type");
        this.address = Objects.requireNonNull(address, "address");
        this.widenedAddress = address;
    }

    /**
     * A subject named {@code kind} (the test's display name) of {@code type}; {@code address} gives,
     * for a unique name, the owner's address that creates it with default options, with a query
     * (the suite appends {@code &key} to it).
     */
    public static PermissionSubject of(String kind, Type type, Function<String, String> address) {
        return new PermissionSubject(kind, type, address);
    }

    /** The file the object is (a path the suite plants links at and reads the mode of). */
    public PermissionSubject file(Function<String, Path> value) {
        file = value;
        return this;
    }

    /** The object has no file of its own: the link cases skip with this reason. */
    public PermissionSubject noFile(String reason) {
        file = null;
        noFileReason = reason;
        return this;
    }

    /** Where the mode is read; the file's own mode by default. */
    public PermissionSubject mode(ModeReader value) {
        mode = value;
        return this;
    }

    /** What the other user tries on an object of mode 0600, each of which must be refused. */
    public PermissionSubject attempts(Function<String, List<Attempt>> value) {
        attempts = value;
        return this;
    }

    /** What the other user does on an object created with {@code mode=0666}, which must work. */
    public PermissionSubject use(Function<String, Attempt> value) {
        use = value;
        return this;
    }

    /** The other user's ways to remove the object by name; deleting {@link #file} by default. */
    public PermissionSubject unlinkAttempt(Function<String, Attempt> value) {
        unlinkAttempts = name -> List.of(value.apply(name));
        return this;
    }

    /** The owner's address for the widened case, if it differs (a datagram end that must meet the other user's). */
    public PermissionSubject widenedAddress(Function<String, String> value) {
        widenedAddress = value;
        return this;
    }

    /** The key appended for an exclusive create; {@code exclusive} by default, empty where creating always is. */
    public PermissionSubject exclusiveKey(String value) {
        exclusiveKey = value;
        return this;
    }

    /** The display name. */
    public String kind() {
        return kind;
    }

    /** The API type. */
    public Type type() {
        return type;
    }

    /** The owner's address creating {@code name}, with {@code key} appended unless empty. */
    public String address(String name, String key) {
        return append(address.apply(name), key);
    }

    /** The owner's address for the widened case, with {@code key} appended. */
    public String widenedAddress(String name, String key) {
        return append(widenedAddress.apply(name), key);
    }

    private static String append(String base, String key) {
        if (key.isEmpty()) {
            return base;
        }
        return base + (base.contains("?") ? "&" : "?") + key;
    }

    /** The key of an exclusive create. */
    public String exclusiveKey() {
        return exclusiveKey;
    }

    /** The file of {@code name}, if the object is one. */
    public Optional<Path> file(String name) {
        return file == null ? Optional.empty() : Optional.of(file.apply(name));
    }

    /** Why there is no file. */
    public String noFileReason() {
        return noFileReason;
    }

    /** The mode the system holds for {@code name}. */
    public int mode(String name) throws IOException {
        if (mode != null) {
            return mode.mode(name);
        }
        return ObjectMode.ofFile(file(name).orElseThrow(() -> new IllegalStateException(
                kind + ": give mode(...) or file(...) so the suite can read the mode")));
    }

    /** Everything the other user tries on {@code name} when the mode is 0600: using it, then removing it. */
    public List<Attempt> attempts(String name) {
        List<Attempt> all = new java.util.ArrayList<>();
        if (attempts != null) {
            all.addAll(attempts.apply(name));
        } else {
            String a = address.apply(name);
            String plain = a.contains("?") ? a.substring(0, a.indexOf('?')) : a;
            switch (type) {
                case QUEUE -> all.addAll(List.of(Attempt.denied("open to send", "queue-send", plain),
                        Attempt.denied("open to receive", "queue-receive", plain)));
                case SEMAPHORE -> all.addAll(List.of(Attempt.denied("open to acquire", "semaphore-acquire", plain),
                        Attempt.denied("open to release", "semaphore-release", plain)));
                case REGION -> all.addAll(List.of(Attempt.denied("open to read", "region-read", plain),
                        Attempt.denied("open to write", "region-write", plain)));
                case LISTENER -> all.add(Attempt.denied("connect and send", "connect-send", plain));
                default -> throw new IllegalStateException(kind + ": a " + type + " needs attempts(...)");
            }
        }
        if (unlinkAttempts != null) {
            all.addAll(unlinkAttempts.apply(name));
        } else {
            file(name).ifPresent(f -> all.add(Attempt.deleteFile(f)));
        }
        return all;
    }

    /** What the other user does on a widened object; the first default attempt that writes, by default. */
    public Attempt use(String name) {
        if (use != null) {
            return use.apply(name);
        }
        // the default attempts that change the object: send, release, write, connect and send
        return switch (type) {
            case QUEUE, LISTENER -> attempts(name).get(0);
            case SEMAPHORE, REGION -> attempts(name).get(1);
            default -> throw new IllegalStateException(kind + ": a " + type + " needs use(...)");
        };
    }

    @Override
    public String toString() {
        return kind;
    }

    /** Reads an object's mode from outside the library. */
    @FunctionalInterface
    public interface ModeReader {
        /** The permission bits of the object {@code name}. */
        int mode(String name) throws IOException;
    }
}
