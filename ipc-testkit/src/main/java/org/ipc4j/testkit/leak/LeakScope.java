package org.ipc4j.testkit.leak;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which shared, system-wide objects a {@link LeakCheck} counts as this test's own.
 *
 * <p>{@code /dev/shm}, {@code /dev/mqueue} and {@code /proc/sysvipc} are shared by every process on
 * the machine, and other test JVMs create and remove objects there while a check runs. A scope
 * therefore keeps only: names that contain one of its markers (by default this process's pid as a
 * whole number, which every unique test name and every ipc4j temporary file carries), SysV objects
 * whose key is one of its keys or whose creator or last user is this process, and every entry of the
 * directories it watches (a test's private FIFO or socket directory).
 */
public final class LeakScope {
    private final List<Pattern> markers;
    private final Set<Integer> sysvKeys;
    private final List<Path> directories;

    private LeakScope(List<Pattern> markers, Set<Integer> sysvKeys, List<Path> directories) {
        this.markers = List.copyOf(markers);
        this.sysvKeys = Set.copyOf(sysvKeys);
        this.directories = List.copyOf(directories);
    }

    /** The default scope: names carrying this process's pid, SysV objects this process touched. */
    public static LeakScope ofThisProcess() {
        return new LeakScope(List.of(wholeNumber(ProcessHandle.current().pid())), Set.of(), List.of());
    }

    /** This scope plus names that contain {@code marker}. */
    public LeakScope withMarker(String marker) {
        List<Pattern> more = new ArrayList<>(markers);
        more.add(Pattern.compile(Pattern.quote(marker)));
        return new LeakScope(more, sysvKeys, directories);
    }

    /** This scope plus the SysV objects with {@code key} (message queues and semaphore sets carry no creator pid). */
    public LeakScope withSysvKey(int key) {
        Set<Integer> more = new LinkedHashSet<>(sysvKeys);
        more.add(key);
        return new LeakScope(markers, more, directories);
    }

    /** This scope plus every entry of {@code directory} (a FIFO or socket directory the test owns). */
    public LeakScope watching(Path directory) {
        List<Path> more = new ArrayList<>(directories);
        more.add(directory.toAbsolutePath());
        return new LeakScope(markers, sysvKeys, more);
    }

    /** True if a name in a shared directory belongs to this scope. */
    boolean owns(String name) {
        for (Pattern p : markers) {
            if (p.matcher(name).find()) {
                return true;
            }
        }
        return false;
    }

    /** True if a SysV key belongs to this scope. */
    boolean ownsKey(int key) {
        return sysvKeys.contains(key);
    }

    /** The directories whose every entry counts. */
    List<Path> directories() {
        return directories;
    }

    private static Pattern wholeNumber(long n) {
        return Pattern.compile("(?<![0-9])" + n + "(?![0-9])");
    }

    @Override
    public String toString() {
        return "LeakScope[markers=" + markers + ", sysvKeys=" + sysvKeys + ", directories=" + directories + "]";
    }
}
