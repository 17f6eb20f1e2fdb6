package org.ipc4j.tools;

import java.io.PrintWriter;
import org.ipc4j.InvalidAddressException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code ipc} command: demo, bench, ls, rm, send and recv over every IPC mechanism whose provider
 * is on the class path.
 *
 * <p>Exit codes: 0 success; 1 the operation failed (the one-line reason is on standard error);
 * 2 bad usage or a bad address (the parser's message is printed).
 */
@Command(name = "ipc", mixinStandardHelpOptions = true, versionProvider = IpcCommand.Version.class,
        description = "Every classic Linux IPC mechanism from the shell: try them all (demo), measure them"
                + " (bench), list and remove objects (ls, rm), move messages (send, recv).",
        subcommands = {DemoCommand.class, BenchCommand.class, LsCommand.class, RmCommand.class,
                SendCommand.class, RecvCommand.class, PeerCommand.class, CommandLine.HelpCommand.class})
public final class IpcCommand implements Runnable {
    /** Exit code for a failed operation. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage or a bad address. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand; try 'ipc --help'");
    }

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given output streams and returns the exit code (for tests and embedding). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The configured command line. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IpcCommand());
        cl.setExitCodeExceptionMapper(e -> e instanceof InvalidAddressException
                || e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("ipc: " + ex.getMessage());
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            line.getErr().println("ipc " + line.getCommandName() + ": " + message.replace('\n', ' '));
            if (Boolean.getBoolean("ipc.debug")) {
                ex.printStackTrace(line.getErr());
            }
            return isUsageError(ex) ? EXIT_USAGE : EXIT_FAILURE;
        });
        return cl;
    }

    /** A bad address (the parser refused it, or no ipc4j provider knows its scheme) or a bad argument. */
    static boolean isUsageError(Throwable ex) {
        return ex instanceof InvalidAddressException || ex instanceof IllegalArgumentException
                || ex instanceof org.ipc4j.UnknownSchemeException;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = IpcCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ipc (ipc4j) " + (v == null ? "development build" : v)};
        }
    }
}
