package org.ipc4j.testkit.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ipc4j.testkit.PeerProcess;

/**
 * Signals sent at about 1 kHz to one thread of this JVM, from a helper process, while that thread
 * blocks in a call: every signal interrupts the blocking system call (EINTR), so a backend that
 * does not retry with the time left, or that counts an interrupted wait as a timeout, is caught.
 *
 * <p>Which signal: an outside SIGUSR2 crashes HotSpot 17 (its suspend/resume signal) and a
 * real-time signal has no handler in the JVM, so its default action ends the process (see
 * FINDINGS). A signal sent to the whole process reaches the launcher's main thread, never the thread
 * under test. So the storm is {@code tgkill(pid, tid, SIGPIPE)}: HotSpot installs a handler for
 * SIGPIPE that ignores it (SA_RESTART), which the JVM survives at any rate, yet each delivery still
 * interrupts the target thread's blocking system call: poll, epoll_wait, semtimedop, msgrcv and
 * futex waits with a timeout return EINTR whatever SA_RESTART says, and the others are restarted by
 * the kernel.
 *
 * <p>The helper is {@code /usr/bin/python3} calling {@code syscall(SYS_tgkill)} through ctypes. It
 * prints {@code STORM STARTED}, {@code STORM AT <n>} every 250 signals, and {@code STORM SENT <n>} at
 * the end of its time or when the target thread ended (ESRCH).
 */
public final class SignalStorm implements AutoCloseable {
    /** The signal number sent: SIGPIPE. */
    public static final int SIGNAL = 13;

    private static final String SCRIPT = String.join("\n",
            "import ctypes, sys, time",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "pid, tid, sig, hz, secs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])",
            "print('STORM STARTED', flush=True)",
            "n = 0",
            "start = time.monotonic()",
            "while time.monotonic() - start < secs:",
            "    if libc.syscall(234, pid, tid, sig) != 0:",
            "        if ctypes.get_errno() == 3:",
            "            break",
            "        print('STORM ERROR errno=%d after %d' % (ctypes.get_errno(), n), flush=True)",
            "        sys.exit(1)",
            "    n += 1",
            "    if n % 250 == 0:",
            "        print('STORM AT %d' % n, flush=True)",
            "    d = start + n / hz - time.monotonic()",
            "    if d > 0:",
            "        time.sleep(d)",
            "print('STORM SENT %d' % n, flush=True)");

    private final PeerProcess helper;

    private SignalStorm(PeerProcess helper) {
        this.helper = helper;
    }

    /**
     * The kernel's id of the calling thread (its {@code /proc/thread-self} task number), to aim a
     * storm at it.
     */
    public static long currentThreadId() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/thread-self", e);
        }
    }

    /**
     * Starts a storm of SIGPIPE at about {@code hertz} per second for {@code length} at thread
     * {@code tid} of this JVM, and waits until it started.
     */
    public static SignalStorm start(long tid, int hertz, Duration length) throws IOException {
        PeerProcess p = PeerProcess.start("storm", List.of("/usr/bin/python3", "-c", SCRIPT,
                String.valueOf(ProcessHandle.current().pid()), String.valueOf(tid), String.valueOf(SIGNAL),
                String.valueOf(hertz), String.valueOf(length.toMillis() / 1000.0)));
        SignalStorm storm = new SignalStorm(p);
        p.awaitLineStartingWith("STORM STARTED", Duration.ofSeconds(20));
        return storm;
    }

    /** Waits until at least {@code count} signals were sent. */
    public void awaitSent(int count, Duration timeout) {
        helper.awaitLine(l -> l.startsWith("STORM AT ") && Integer.parseInt(l.substring(9)) >= count
                || l.startsWith("STORM SENT "), timeout);
    }

    /**
     * Waits for the end of the storm.
     *
     * @return how many signals were sent
     */
    public int awaitEnd(Duration timeout) {
        String line = helper.awaitLineStartingWith("STORM SENT ", timeout);
        helper.awaitExit(timeout);
        return Integer.parseInt(line.substring("STORM SENT ".length()));
    }

    /** Stops the helper. */
    @Override
    public void close() {
        helper.close();
    }
}
