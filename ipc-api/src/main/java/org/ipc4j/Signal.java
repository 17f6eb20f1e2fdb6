package org.ipc4j;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The standard Linux signals (x86-64 and arm64 numbering), with what a Java program may do with each.
 *
 * <p>Any signal may be sent with {@link SignalService#send(long, Signal)}. Only the ones whose
 * {@link #refusal()} is empty may get a handler: the others are reserved by the JVM, cannot be
 * caught at all, or are unsafe to handle in Java, and {@link SignalService#handle} refuses them with
 * the reason.
 */
public enum Signal {
    /** Hang-up; by convention "reload your configuration". */
    HUP(1, null),
    /** Interrupt from the keyboard (Ctrl-C). */
    INT(2, null),
    /** Quit from the keyboard. */
    QUIT(3, "the JVM uses it to print a thread dump"),
    /** Illegal instruction. */
    ILL(4, "the JVM uses it for its own fault handling"),
    /** Trace/breakpoint trap. */
    TRAP(5, "the JVM and debuggers use it"),
    /** Abort. */
    ABRT(6, "the JVM uses it to abort with a crash report"),
    /** Bus error. */
    BUS(7, "a Java handler turns a fault on mapped memory into an endless loop at 100% CPU"),
    /** Floating-point exception. */
    FPE(8, "the JVM uses it for integer division by zero"),
    /** Kill; cannot be caught. */
    KILL(9, "the kernel never lets a process catch it"),
    /** User-defined signal 1. */
    USR1(10, null),
    /** Invalid memory reference. */
    SEGV(11, "the JVM uses it for null checks and safepoints"),
    /** User-defined signal 2. */
    USR2(12, "HotSpot uses it to suspend and resume threads; an outside one can crash the JVM"),
    /** Broken pipe. */
    PIPE(13, "the JVM ignores it so that writes to a closed pipe fail with an exception; it must stay ignored"),
    /** Timer alarm. */
    ALRM(14, null),
    /** Termination request. */
    TERM(15, null),
    /** Stack fault on coprocessor (unused). */
    STKFLT(16, null),
    /** Child stopped or exited. */
    CHLD(17, null),
    /** Continue if stopped. */
    CONT(18, null),
    /** Stop; cannot be caught. */
    STOP(19, "the kernel never lets a process catch it"),
    /** Stop from the terminal. */
    TSTP(20, null),
    /** Terminal input for a background process. */
    TTIN(21, null),
    /** Terminal output for a background process. */
    TTOU(22, null),
    /** Urgent data on a socket. */
    URG(23, null),
    /** CPU time limit exceeded. */
    XCPU(24, null),
    /** File size limit exceeded. */
    XFSZ(25, "the JVM ignores it so that an oversized write fails with an exception; it must stay ignored"),
    /** Virtual timer alarm. */
    VTALRM(26, null),
    /** Profiling timer alarm. */
    PROF(27, null),
    /** Terminal window size changed. */
    WINCH(28, null),
    /** I/O now possible. */
    IO(29, null),
    /** Power failure. */
    PWR(30, null),
    /** Bad system call. */
    SYS(31, null);

    private final int number;
    private final String refusal;

    Signal(int number, String refusal) {
        this.number = number;
        this.refusal = refusal;
    }

    /** The signal's number on Linux. */
    public int number() {
        return number;
    }

    /** The conventional name, such as {@code SIGHUP}. */
    public String signalName() {
        return "SIG" + name();
    }

    /** Why no handler may be installed for this signal, or empty if one may. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** True if a handler may be installed for this signal. */
    public boolean isHandleable() {
        return refusal == null;
    }

    /**
     * The signal with this Linux number.
     *
     * @throws IllegalArgumentException if no standard signal has it (the message gives the range)
     */
    public static Signal ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw new IllegalArgumentException("no standard signal has number=" + number + "; accepted: 1 to 31");
    }

    /** One line per refused signal with its reason, for error messages. */
    public static String refusedList() {
        return Arrays.stream(values())
                .filter(s -> !s.isHandleable())
                .map(s -> s.signalName() + " (" + s.refusal + ")")
                .collect(Collectors.joining("; "));
    }
}
