package org.ipc4j.testkit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The main class of every peer JVM: runs the real main class given as first argument, and halts
 * the JVM when its standard input ends, which happens when the JVM that started it dies by any means.
 * Lines arriving on standard input before that are available to the peer with {@link #nextLine}.
 *
 * <p>Exit codes: 0 when the real main returns, 1 when it throws, {@link #ORPHANED_EXIT} when the
 * parent went away.
 */
public final class PeerMain {
    /** Exit code of a peer whose parent went away. */
    public static final int ORPHANED_EXIT = 99;

    private static final String EOF = new String("<end of input>");
    private static final BlockingQueue<String> INPUT = new LinkedBlockingQueue<>();

    private PeerMain() {
    }

    /**
     * @param args the real main class, then its arguments
     */
    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(PeerMain::watchInput, "peer-stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        int code = 0;
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            e.getCause().printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    private static void watchInput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                INPUT.add(line);
            }
        } catch (Exception e) {
            // treat a broken input like its end: the parent is gone
        }
        if (Boolean.getBoolean("ipc.peer.keepOnEof")) {
            INPUT.add(EOF);
            return;
        }
        // halt without making the end visible to nextLine: a main thread woken by it would exit
        // with 1 (its exception) and could win the race against this halt
        System.out.flush();
        Runtime.getRuntime().halt(ORPHANED_EXIT);
    }

    /** Prints the ready line the parent waits for. */
    public static void ready() {
        System.out.println(PeerProcess.READY);
        System.out.flush();
    }

    /** Prints one line to the parent and flushes. */
    public static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /**
     * The next line the parent sent with {@link PeerProcess#sendLine(String)}.
     *
     * @throws IllegalStateException if none came within {@code timeout}, or input ended (seen only
     *     with {@code -Dipc.peer.keepOnEof=true}; otherwise the JVM halts with {@link #ORPHANED_EXIT})
     */
    public static String nextLine(Duration timeout) throws InterruptedException {
        String line = INPUT.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new IllegalStateException("no line from the parent within " + timeout);
        }
        if (line == EOF) {
            INPUT.add(EOF);
            throw new IllegalStateException("the parent closed the peer's input");
        }
        return line;
    }
}
