package org.ipc4j.testkit.leak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What this process holds at one moment, as the kernel sees it: open descriptors and their targets
 * ({@code /proc/self/fd}), memory mappings ({@code /proc/self/maps}: their count and those of files
 * in {@code /dev/shm}), live Java threads, and the objects in {@link LeakScope scope} left in
 * {@code /dev/shm}, {@code /dev/mqueue} (when mounted), {@code /proc/sysvipc/{msg,sem,shm}} and the
 * watched directories.
 *
 * @param descriptors descriptor number to its link target, such as {@code socket:[123]}
 * @param mappings the number of lines in {@code /proc/self/maps}
 * @param shmMappings the {@code /dev/shm} mappings, as "path" lines (a path may repeat)
 * @param threads live Java thread id to name
 * @param devShm names in {@code /dev/shm} in scope
 * @param devMqueue names in {@code /dev/mqueue} in scope (empty if it is not mounted)
 * @param sysv SysV objects in scope, as "msg key=… id=…", "sem …", "shm …"
 * @param directories entries of each watched directory, as "dir/name"
 */
public record ResourceSnapshot(SortedMap<Integer, String> descriptors, int mappings, List<String> shmMappings,
        SortedMap<Long, String> threads, SortedSet<String> devShm, SortedSet<String> devMqueue,
        SortedSet<String> sysv, SortedSet<String> directories) {

    private static final Path FD = Path.of("/proc/self/fd");
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final Path DEV_SHM = Path.of("/dev/shm");
    private static final Path DEV_MQUEUE = Path.of("/dev/mqueue");
    private static final Path SYSVIPC = Path.of("/proc/sysvipc");

    /** Takes a snapshot of everything, keeping the shared namespaces' entries that {@code scope} owns. */
    public static ResourceSnapshot take(LeakScope scope) {
        try {
            SortedSet<String> dirs = new TreeSet<>();
            for (Path d : scope.directories()) {
                for (String name : list(d)) {
                    dirs.add(d + "/" + name);
                }
            }
            List<String> maps = Files.readAllLines(MAPS);
            List<String> shm = new ArrayList<>();
            for (String line : maps) {
                int at = line.indexOf(" /dev/shm/");
                if (at >= 0) {
                    shm.add(line.substring(at + 1).trim());
                }
            }
            Collections.sort(shm);
            SortedSet<String> devShm = new TreeSet<>();
            for (String name : list(DEV_SHM)) {
                if (scope.owns(name)) {
                    devShm.add(name);
                }
            }
            SortedSet<String> devMqueue = new TreeSet<>();
            for (String name : list(DEV_MQUEUE)) {
                if (scope.owns(name)) {
                    devMqueue.add(name);
                }
            }
            return new ResourceSnapshot(readDescriptors(), maps.size(), List.copyOf(shm), readThreads(),
                    Collections.unmodifiableSortedSet(devShm), Collections.unmodifiableSortedSet(devMqueue),
                    Collections.unmodifiableSortedSet(sysv(scope)), Collections.unmodifiableSortedSet(dirs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc for a leak snapshot", e);
        }
    }

    private static SortedMap<Integer, String> readDescriptors() throws IOException {
        SortedMap<Integer, String> fds = new TreeMap<>();
        String self = "/proc/" + ProcessHandle.current().pid() + "/fd";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD)) {
            for (Path p : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (NoSuchFileException e) {
                    continue;   // closed by another thread while we listed
                }
                if (target.equals(self)) {
                    continue;   // the descriptor of this listing
                }
                fds.put(Integer.parseInt(p.getFileName().toString()), target);
            }
        }
        return Collections.unmodifiableSortedMap(fds);
    }

    private static SortedMap<Long, String> readThreads() {
        SortedMap<Long, String> threads = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                threads.put(t.getId(), t.getName());
            }
        }
        return Collections.unmodifiableSortedMap(threads);
    }

    /** msg: key msqid perms cbytes qnum lspid lrpid …; sem: key semid …; shm: key shmid perms size cpid lpid …. */
    private static SortedSet<String> sysv(LeakScope scope) throws IOException {
        String pid = Long.toString(ProcessHandle.current().pid());
        Map<String, int[]> pidColumns = Map.of("msg", new int[] {5, 6}, "sem", new int[0], "shm", new int[] {4, 5});
        SortedSet<String> found = new TreeSet<>();
        for (String kind : List.of("msg", "sem", "shm")) {
            Path table = SYSVIPC.resolve(kind);
            if (!Files.isReadable(table)) {
                continue;
            }
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                boolean ours = scope.ownsKey((int) Long.parseLong(f[0]));
                for (int column : pidColumns.get(kind)) {
                    ours |= f.length > column && f[column].equals(pid);
                }
                if (ours) {
                    found.add(kind + " key=0x" + Integer.toHexString((int) Long.parseLong(f[0])) + " id=" + f[1]);
                }
            }
        }
        return found;
    }

    private static Set<String> list(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                names.add(p.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            // removed meanwhile: nothing in it
        }
        return names;
    }
}
