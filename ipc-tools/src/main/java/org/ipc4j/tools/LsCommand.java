package org.ipc4j.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipc ls}: like {@code ipcs}, for every mechanism. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"Lists the IPC objects on this machine: /dev/shm regions (ipc4j header decoded: kind,"
                + " creator pid, alive or STALE), POSIX named semaphores, POSIX message queues, SysV queues,"
                + " semaphore sets and shared memory (/proc/sysvipc), and FIFOs and Unix sockets under --dir.",
            "The NAME column is what 'ipc rm' accepts."})
final class LsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "where to look for FIFOs and Unix sockets"
            + " (3 levels deep; repeatable; default /tmp)")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", description = "only this kind: shm, shm-region, shm-channel,"
            + " shm-queue, sem, mq, sysvmq, sysvsem, sysvshm, fifo, socket (prefix match; repeatable)")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--stale", description = "only ipc4j objects whose creator is dead")
    boolean stale;

    @Option(names = "--abstract", description = "also list Unix sockets in the abstract namespace (@name)")
    boolean abstractSockets;

    @Option(names = "--json", description = "print a JSON array")
    boolean json;

    @Override
    public Integer call() {
        List<Path> where = dirs.isEmpty() ? List.of(Path.of("/tmp")) : dirs;
        List<IpcObjects.Entry> entries = IpcObjects.scan(where, abstractSockets).stream()
                .filter(e -> kinds.isEmpty() || kinds.stream().anyMatch(k -> e.kind().startsWith(k)))
                .filter(e -> !stale || e.stale())
                .collect(Collectors.toList());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Util.json(entries.stream().map(IpcObjects.Entry::toMap).collect(Collectors.toList())));
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (IpcObjects.Entry e : entries) {
                rows.add(List.of(e.kind(), e.name(), e.owner(), e.mode(), Long.toString(e.size()), describe(e.details())));
            }
            out.print(Util.table(List.of("KIND", "NAME", "OWNER", "MODE", "SIZE", "DETAILS"), rows));
        }
        out.flush();
        return 0;
    }

    private static String describe(Map<String, Object> d) {
        StringBuilder sb = new StringBuilder();
        if (d.containsKey("creatorAlive")) {
            sb.append(Boolean.TRUE.equals(d.get("creatorAlive")) ? "alive " : "STALE ");
        }
        d.forEach((k, v) -> {
            if (!k.equals("creatorAlive")) {
                sb.append(k).append('=').append(v).append(' ');
            }
        });
        return sb.toString().trim();
    }
}
