package org.ipc4j.testkit.permission;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.IpcException;
import org.ipc4j.ObjectExistsException;
import org.ipc4j.PermissionDeniedException;
import org.ipc4j.testkit.PeerJvm;
import org.ipc4j.testkit.PeerReaper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The permission suite every backend runs: for each kind of object it creates
 * ({@link #subjects()}),
 * <ul>
 *   <li>created with default options, its mode is 0600 (read from the file, {@code /proc/sysvipc} or
 *       the mqueue filesystem), and a file is never seen with another mode while it is being made;</li>
 *   <li>another user (nobody, through {@code setpriv}, see {@link OtherUser}) cannot open it to send,
 *       receive, read, write, acquire or release, nor unlink it: each attempt ends with the typed
 *       exception the {@link Attempt} names, and the object keeps the owner's file, mode and content;</li>
 *   <li>{@code mode=0640} gives exactly 0640, and {@code mode=0666} lets the other user in: its
 *       message, permit or write arrives;</li>
 *   <li>a symbolic link or a hard link planted at its path (to a file this test made and hashed with
 *       SHA-256) is refused with an {@code IpcException}, with and without {@code exclusive}, and the
 *       target keeps its bytes and mode and the link stays as it was;</li>
 *   <li>{@code exclusive} is atomic: threads racing to create one name, exactly one wins and every
 *       other gets {@code ObjectExistsException};</li>
 *   <li>where the backend has abstract socket names ({@link #abstractAddress(String)}), a name squatted
 *       by the other user is refused by {@code connect} through the listener's credentials, and the
 *       squatter reads nothing; where it has {@code allowUid} ({@link #allowUidAddress(String)}), a
 *       refused client's byte is never read (the client sees its connection reset).</li>
 * </ul>
 * Each case is one dynamic test per kind, named after it; a case that does not apply to a kind (no
 * file to plant a link at) is skipped with the reason. Cases needing the other user skip unless the
 * tests run as root with {@code setpriv} installed.
 */
@ExtendWith(PeerReaper.class)
public abstract class PermissionContract {
    private static final Duration T = Duration.ofSeconds(60);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int RACERS = 6;
    private static final int RACE_ROUNDS = 5;

    /** For subclasses: one per backend. */
    protected PermissionContract() {
    }

    /** The kinds of object the backend creates. */
    protected abstract List<PermissionSubject> subjects() throws Exception;

    /**
     * An abstract socket name (no file, no mode) for {@code name} that the other user's
     * {@link PermissionProbePeer} can listen at; empty if the backend has none.
     */
    protected Optional<String> abstractAddress(String name) {
        return Optional.empty();
    }

    /** {@code address} with the option that accepts a listener run by {@link OtherUser#UID}. */
    protected Optional<String> trustingOtherUser(String address) {
        return Optional.empty();
    }

    /**
     * A listen address whose name is a socket path the other user may connect to (mode 0666 in a
     * 0755 directory) and that accepts only this process's uid; empty if the backend has no such option.
     */
    protected Optional<String> allowUidAddress(String name) {
        return Optional.empty();
    }

    /** A name unique in this run: letters, digits and {@code -}. */
    protected static String uniqueName() {
        return "perm" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    private Stream<DynamicTest> each(Case c) throws Exception {
        return subjects().stream().map(s -> DynamicTest.dynamicTest(s.kind(), () -> c.run(s)));
    }

    /** Created with default options: mode 0600, and never another mode while it was being made. */
    @TestFactory
    Stream<DynamicTest> defaultModeIs0600() throws Exception {
        return each(s -> {
            String name = uniqueName();
            Optional<Path> file = s.file(name);
            Set<Integer> seen = new ConcurrentSkipListSet<>();
            AtomicBoolean done = new AtomicBoolean();
            Thread watcher = null;
            if (file.isPresent()) {
                java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
                watcher = new Thread(() -> {
                    // every mode the path shows while the owner creates it, and once more after
                    watching.countDown();
                    while (true) {
                        boolean last = done.get();
                        try {
                            seen.add(ObjectMode.ofFile(file.get()));
                        } catch (IOException e) {
                            Thread.onSpinWait();
                        }
                        if (last) {
                            return;
                        }
                    }
                }, "watch " + file.get());
                watcher.start();
                watching.await();
            }
            try (OwnedObject o = OwnedObject.create(s, name, s.address(name, ""))) {
                done.set(true);
                if (watcher != null) {
                    watcher.join();
                }
                assertEquals("600", Integer.toOctalString(s.mode(name)), s + " " + o.address() + ": mode");
                if (file.isPresent()) {
                    assertEquals(Set.of(0600), seen, s + ": modes of " + file.get() + " seen while it was made");
                }
            } finally {
                done.set(true);
            }
        });
    }

    /** The other user cannot open, use or unlink an object of mode 0600, which stays as it was. */
    @TestFactory
    Stream<DynamicTest> otherUserCannotOpenUseOrUnlink() throws Exception {
        return each(s -> {
            OtherUser.assumeAvailable();
            String name = uniqueName();
            try (OwnedObject o = OwnedObject.create(s, name, s.address(name, ""))) {
                o.mark();
                List<Attempt> attempts = s.attempts(name);
                List<String> results = probe(attempts);
                for (int i = 0; i < attempts.size(); i++) {
                    Attempt a = attempts.get(i);
                    String r = results.get(i);
                    String[] words = r.split(" ", 3);
                    assertTrue(words[0].equals("REFUSED") && a.refusedWith(words[1]), s + ": user " + OtherUser.UID + " tried to "
                            + a.what() + " (" + a.argument() + "): expected " + a.refusal() + ", got: " + r);
                    if (a.refusal().equals("PermissionDeniedException")) {
                        assertTrue(r.contains(" ipc=true "), s + ": " + a.what() + ": " + r);
                    }
                }
                o.assertUnchanged(s + " after user " + OtherUser.UID + " tried " + attempts);
                assertEquals("600", Integer.toOctalString(s.mode(name)), s + ": mode afterwards");
            }
        });
    }

    /** {@code mode=} is applied exactly and, when it lets others in, the other user gets in. */
    @TestFactory
    Stream<DynamicTest> modeWidensWhenAsked() throws Exception {
        return each(s -> {
            String name = uniqueName();
            try (OwnedObject o = OwnedObject.create(s, name, s.address(name, "mode=0640"))) {
                assertEquals("640", Integer.toOctalString(s.mode(name)), s + " " + o.address() + ": mode");
            }
            OtherUser.assumeAvailable();
            String open = uniqueName();
            try (OwnedObject o = OwnedObject.createAwaitingPeer(s, open, s.widenedAddress(open, "mode=0666"))) {
                assertEquals("666", Integer.toOctalString(s.mode(open)), s + " " + o.address() + ": mode");
                o.mark();
                Attempt use = s.use(open);
                String r = probe(List.of(use)).get(0);
                assertTrue(r.startsWith("DONE"), s + ": with mode=0666 user " + OtherUser.UID + " must be able to "
                        + use.what() + " (" + use.argument() + "): " + r);
                o.assertUsedByOther(s + " " + o.address() + " after user " + OtherUser.UID + " did " + use.what());
            }
        });
    }

    /** A symbolic link planted at the path is refused and its target left untouched. */
    @TestFactory
    Stream<DynamicTest> plantedSymlinkIsRefusedAndTargetUntouched() throws Exception {
        return each(s -> planted(s, true));
    }

    /** A hard link planted at the path is refused and its target left untouched. */
    @TestFactory
    Stream<DynamicTest> plantedHardLinkIsRefusedAndTargetUntouched() throws Exception {
        return each(s -> planted(s, false));
    }

    private static void planted(PermissionSubject s, boolean symbolic) throws Exception {
        String name = uniqueName();
        Optional<Path> file = s.file(name);
        assumeTrue(file.isPresent(), s + ": " + s.noFileReason());
        Path path = file.get();
        Path target = path.resolveSibling(path.getFileName() + ".target");
        byte[] bytes = new byte[4096];
        new Random(name.hashCode()).nextBytes(bytes);
        Files.write(target, bytes);
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String hash = sha256(target);
        try {
            if (symbolic) {
                Files.createSymbolicLink(path, target);
            } else {
                Files.createLink(path, target);
            }
            Object targetKey = OwnedObject.attributes(target).fileKey();
            String what = (symbolic ? "a symbolic" : "a hard") + " link at " + path + " to " + target;
            for (String key : List.of("", s.exclusiveKey())) {
                String address = s.address(name, key);
                IpcException e = assertThrows(IpcException.class, () -> {
                    OwnedObject o = OwnedObject.create(s, name, address);
                    o.close();
                }, s + ": " + address + " must refuse " + what);
                System.out.println("[permission] " + s + ": " + address + " over " + what + ": " + e);
                assertEquals(hash, sha256(target), s + ": " + address + " changed the target of " + what);
                assertEquals("644", Integer.toOctalString(ObjectMode.ofFile(target)), s + ": mode of " + target);
                assertEquals(4096, Files.size(target), s + ": size of " + target);
                if (symbolic) {
                    assertTrue(Files.isSymbolicLink(path) && Files.readSymbolicLink(path).equals(target),
                            s + ": " + address + " must leave " + what + " in place");
                } else {
                    assertEquals(targetKey, OwnedObject.attributes(path).fileKey(),
                            s + ": " + address + " must leave " + what + " in place");
                }
            }
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(target);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Threads racing an exclusive create of one name: exactly one wins, the others get ObjectExistsException. */
    @TestFactory
    Stream<DynamicTest> exclusiveCreateIsAtomic() throws Exception {
        return each(s -> {
            ExecutorService pool = Executors.newFixedThreadPool(RACERS);
            try {
                for (int round = 0; round < RACE_ROUNDS; round++) {
                    String name = uniqueName();
                    String address = s.address(name, s.exclusiveKey());
                    CyclicBarrier start = new CyclicBarrier(RACERS);
                    List<Future<OwnedObject>> racers = new ArrayList<>();
                    for (int i = 0; i < RACERS; i++) {
                        racers.add(pool.submit(() -> {
                            start.await();
                            try {
                                return OwnedObject.create(s, name, address);
                            } catch (ObjectExistsException e) {
                                return null;
                            }
                        }));
                    }
                    List<OwnedObject> winners = new ArrayList<>();
                    List<Throwable> failures = new ArrayList<>();
                    for (Future<OwnedObject> f : racers) {
                        try {
                            OwnedObject o = f.get(T.toSeconds(), TimeUnit.SECONDS);
                            if (o != null) {
                                winners.add(o);
                            }
                        } catch (java.util.concurrent.ExecutionException e) {
                            failures.add(e.getCause());
                        }
                    }
                    // several winners are one object opened several times: remove it once, close the rest
                    for (int i = 0; i < winners.size(); i++) {
                        try {
                            winners.get(i).close();
                        } catch (IOException e) {
                            if (i == 0) {
                                throw e;
                            }
                        }
                    }
                    if (!failures.isEmpty()) {
                        AssertionError error = new AssertionError(s + ": " + address + " raced by " + RACERS
                                + " threads: " + failures.size() + " failed with something other than ObjectExistsException");
                        failures.forEach(error::addSuppressed);
                        throw error;
                    }
                    assertEquals(1, winners.size(), s + ": " + address + " raced by " + RACERS + " threads (round "
                            + round + "): exactly one must create it");
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    /** An abstract name squatted by the other user is refused through its credentials; nothing is sent to it. */
    @Test
    @Timeout(120)
    void abstractNameSquattedByAnotherUserIsRefused() throws Exception {
        String name = uniqueName();
        Optional<String> address = abstractAddress(name);
        assumeTrue(address.isPresent(), getClass().getSimpleName() + " has no abstract names (abstractAddress() is empty)");
        OtherUser.assumeAvailable();
        String a = address.get();
        try (PeerJvm squatter = OtherUser.peer(PermissionProbePeer.class).args("listen-echo", a).start()) {
            squatter.awaitLineStartingWith("LISTENING", T);
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> Ipc.connect(a).close(),
                    a + " is bound by user " + OtherUser.UID + ": connect must refuse it");
            assertTrue(e.getMessage().contains("uid=" + OtherUser.UID) && e.getMessage().contains(a), e.getMessage());
            // the squatter accepted the connection we closed, and read nothing from it
            squatter.awaitLine("ECHOED 0"::equals, T);
            squatter.assertExit(0, T);
        }
        Optional<String> trusting = trustingOtherUser(a);
        if (trusting.isPresent()) {
            try (PeerJvm listener = OtherUser.peer(PermissionProbePeer.class).args("listen-echo", a).start()) {
                listener.awaitLineStartingWith("LISTENING", T);
                try (Channel c = Ipc.connect(trusting.get())) {
                    assertEquals(OtherUser.UID, c.peerCredentials().orElseThrow().uid());
                    c.send(ByteBuffer.wrap(new byte[] {7}));
                    assertArrayEquals(new byte[] {7}, c.receive(), trusting.get() + ": the echo");
                }
                listener.awaitLine("ECHOED 1"::equals, T);
                listener.assertExit(0, T);
            }
        }
    }

    /** A listener's allowUid refuses another user before reading a byte, and keeps listening. */
    @Test
    @Timeout(120)
    void allowUidRefusesOthersBeforeReadingAByte() throws Exception {
        Optional<String> address = allowUidAddress(uniqueName());
        assumeTrue(address.isPresent(), getClass().getSimpleName() + " has no allowUid (allowUidAddress() is empty)");
        OtherUser.assumeAvailable();
        String a = address.get();
        String plain = a.contains("?") ? a.substring(0, a.indexOf('?')) : a;
        Path path = Path.of(plain.substring(plain.indexOf(':') + 1));
        try (ChannelListener l = Ipc.listen(a);
             PeerJvm peer = OtherUser.peer(PermissionProbePeer.class).args("raw-connect", path.toString()).start()) {
            peer.awaitLine("WRITTEN"::equals, T);
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> l.accept(T).close(),
                    a + " must refuse user " + OtherUser.UID);
            assertTrue(e.getMessage().contains("uid=" + OtherUser.UID), e.getMessage());
            // Linux resets a Unix connection closed with unread data, and gives end of stream if it was read
            String line = peer.awaitLineStartingWith("RESULT 0 ", T);
            assertTrue(line.startsWith("RESULT 0 DONE RESET"),
                    a + ": the refused client's byte must be left unread (its connection reset): " + line);
            peer.assertExit(0, T);
            try (Channel c = Ipc.connect(plain); Channel s = l.accept(T)) {
                c.send(ByteBuffer.wrap(new byte[] {1}));
                assertArrayEquals(new byte[] {1}, s.receive(), a + ": the listener must keep serving its own user");
            }
        }
    }

    private static List<String> probe(List<Attempt> attempts) throws IOException {
        List<String> args = new ArrayList<>();
        for (Attempt a : attempts) {
            args.add(a.operation());
            args.add(a.argument());
        }
        try (PeerJvm peer = OtherUser.peer(PermissionProbePeer.class).args(args).start()) {
            peer.awaitLine("FINISHED"::equals, T);
            peer.assertExit(0, T);
            List<String> results = new ArrayList<>();
            for (int i = 0; i < attempts.size(); i++) {
                String prefix = "RESULT " + i + " ";
                String line = peer.output().stream().filter(l -> l.startsWith(prefix)).findFirst()
                        .orElseThrow(() -> new AssertionError("no " + prefix + "line: " + peer.output()));
                results.add(line.substring(prefix.length()));
            }
            return results;
        }
    }

    @FunctionalInterface
    private interface Case {
        void run(PermissionSubject subject) throws Exception;
    }
}
