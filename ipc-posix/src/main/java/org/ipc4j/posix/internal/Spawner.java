package org.ipc4j.posix.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ipc4j.IpcException;

/**
 * {@code posix_spawnp} with chosen descriptors placed on chosen numbers in the child: each source is
 * first duplicated above every target (so no {@code dup2} can clobber another source), then
 * {@code dup2}'d onto its target; every other descriptor of the JVM is closed in the child with
 * {@code addclose} below the highest target and {@code posix_spawn_file_actions_addclosefrom_np}
 * above it (the JVM keeps descriptors without close-on-exec, such as its jars).
 */
public final class Spawner {
    private static final int FILE_ACTIONS_SIZE = 256;

    private Spawner() {
    }

    /** A started child: its pid and a pollable pidfd (or -1). */
    public static final class Child extends Handle {
        private final int pid;
        private final int pidfd;
        private final Memory status = new Memory(8);
        private Integer exit;

        Child(String command, int pid, int pidfd) {
            super(command + " (pid " + pid + ")");
            this.pid = pid;
            this.pidfd = pidfd;
        }

        /** The child's pid. */
        public int pid() {
            return pid;
        }

        /**
         * Waits for the exit and reaps the child.
         *
         * @return the exit code, 128 + the signal number if a signal killed it, or null on timeout
         */
        public Integer waitFor(Deadline deadline) throws IOException {
            begin();
            try {
                while (true) {
                    synchronized (status) {
                        if (exit != null) {
                            return exit;
                        }
                        int r = LibC.waitpid(pid, Pointer.nativeValue(status), LibC.WNOHANG);
                        if (r == pid) {
                            int s = status.getInt(0);
                            exit = (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
                            return exit;
                        }
                        if (r < 0 && LibC.errno() != Errno.EINTR) {
                            throw Errno.last("waitpid", object);
                        }
                    }
                    if (deadline.expired()) {
                        return null;
                    }
                    if (pidfd >= 0) {
                        if (!Poller.await(this, pidfd, LibC.POLLIN, deadline, "waitFor")) {
                            return null;
                        }
                    } else {
                        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(deadline.remaining(), 5_000_000L));
                        checkWake("waitFor");
                    }
                }
            } finally {
                end();
            }
        }

        /** True until the child was reaped or its exit is pending. */
        public boolean isAlive() throws IOException {
            return waitFor(Deadline.after(Duration.ZERO)) == null;
        }

        @Override
        protected void freeNative() {
            if (pidfd >= 0) {
                LibC.close(pidfd);
            }
        }
    }

    /**
     * Starts {@code command} with {@code placements} (child descriptor → parent descriptor, which
     * stays open in the parent) and {@code devNull} child descriptors opened on /dev/null.
     *
     * @param environment the child's environment, or null for this process's
     */
    public static Child spawn(List<String> command, Map<Integer, Integer> placements, List<Integer> devNull,
            Map<String, String> environment) throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        TreeMap<Integer, Integer> targets = new TreeMap<>(placements);
        for (int t : devNull) {
            targets.put(t, -1);
        }
        int highest = targets.isEmpty() ? 2 : Math.max(2, targets.lastKey());
        List<Integer> temporaries = new ArrayList<>();
        String name = command.get(0);
        Memory actions = new Memory(FILE_ACTIONS_SIZE);
        actions.clear();
        long fa = Pointer.nativeValue(actions);
        check(LibC.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init", name);
        try {
            for (Map.Entry<Integer, Integer> e : targets.entrySet()) {
                int target = e.getKey();
                if (e.getValue() < 0) {
                    check(LibC.posix_spawn_file_actions_addopen(fa, target, "/dev/null",
                            target == 0 ? LibC.O_RDONLY : LibC.O_WRONLY, 0), "posix_spawn_file_actions_addopen", name);
                    continue;
                }
                int high = LibC.fcntl(e.getValue(), LibC.F_DUPFD_CLOEXEC, highest + 1);
                if (high < 0) {
                    throw Errno.last("fcntl(F_DUPFD_CLOEXEC)", name + " (fd " + e.getValue() + ")");
                }
                temporaries.add(high);
                check(LibC.posix_spawn_file_actions_adddup2(fa, high, target), "posix_spawn_file_actions_adddup2", name);
            }
            for (int fd = 3; fd < highest; fd++) {
                if (!targets.containsKey(fd)) {
                    check(LibC.posix_spawn_file_actions_addclose(fa, fd), "posix_spawn_file_actions_addclose", name);
                }
            }
            check(LibC.posix_spawn_file_actions_addclosefrom_np(fa, highest + 1),
                    "posix_spawn_file_actions_addclosefrom_np", name);
            StringArray argv = new StringArray(command.toArray(new String[0]));
            Pointer envp;
            if (environment == null) {
                envp = LibC.environ();
            } else {
                List<String> env = new ArrayList<>();
                environment.forEach((k, v) -> env.add(k + "=" + v));
                envp = new StringArray(env.toArray(new String[0]));
            }
            try (Memory pidOut = new Memory(8)) {
                int rc = LibC.posix_spawnp(Pointer.nativeValue(pidOut), name, fa, 0L, Pointer.nativeValue(argv),
                        Pointer.nativeValue(envp));
                if (rc != 0) {
                    throw Errno.exception("posix_spawnp", name, rc, rc == Errno.ENOENT
                            ? "no such program on the PATH" : null);
                }
                int pid = pidOut.getInt(0);
                int pidfd = LibC.pidfd_open(pid, 0);
                if (pidfd >= 0) {
                    LibC.fcntl(pidfd, LibC.F_SETFD, LibC.FD_CLOEXEC);
                }
                return new Child(name, pid, pidfd);
            }
        } finally {
            LibC.posix_spawn_file_actions_destroy(fa);
            for (int fd : temporaries) {
                LibC.close(fd);
            }
        }
    }

    private static void check(int rc, String call, String name) throws IpcException {
        if (rc != 0) {
            throw Errno.exception(call, name, rc, null);
        }
    }

    /** A pipe: [read end, write end], both close-on-exec; blocking unless {@code nonBlocking}. */
    public static int[] pipe(String object) throws IOException {
        int[] fds = new int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0) {
            throw Errno.last("pipe2", object);
        }
        return fds;
    }

    /** Closes a descriptor, ignoring errors. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }
}
