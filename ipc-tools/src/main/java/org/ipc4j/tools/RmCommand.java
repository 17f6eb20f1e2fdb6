package org.ipc4j.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc rm NAME…} and {@code ipc rm --stale}. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = {"Removes IPC objects by the names 'ipc ls' shows (shm:/x, sem:/x, mq:/x, sysvmq:0xKEY,"
                + " sysvmq:#ID, sysvsem:…, sysvshm:…, or the path of a FIFO or Unix socket).",
            "--stale removes only ipc4j shared-memory objects whose creator process is dead."})
final class RmCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "NAME", description = "objects to remove")
    List<String> names = new ArrayList<>();

    @Option(names = "--stale", description = "remove every ipc4j object whose creator is dead")
    boolean stale;

    @Option(names = "--match", paramLabel = "TEXT", description = "with --stale: only names containing TEXT")
    String match;

    @Option(names = {"-n", "--dry-run"}, description = "only print what would be removed")
    boolean dryRun;

    @Option(names = "--json", description = "print the removed names as a JSON array")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (names.isEmpty() && !stale) {
            throw new CommandLine.ParameterException(spec.commandLine(), "nothing to remove: give NAME… or --stale");
        }
        List<String> targets = new ArrayList<>(names);
        if (stale) {
            for (IpcObjects.Entry e : IpcObjects.scan(List.of())) {
                if (e.stale() && (match == null || e.name().contains(match))) {
                    targets.add(e.name());
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<String> removed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (String t : targets) {
            try {
                if (!dryRun) {
                    IpcObjects.remove(t);
                }
                removed.add(t);
                if (!json) {
                    out.println((dryRun ? "would remove " : "removed ") + t);
                }
            } catch (IOException e) {
                failures.add(Util.reason(e));
            }
        }
        if (json) {
            out.println(Util.json(removed));
        }
        out.flush();
        if (!failures.isEmpty()) {
            throw new IOException(String.join("; ", failures));
        }
        return 0;
    }
}
