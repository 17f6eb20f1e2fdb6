package org.ipc4j.testkit.leak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What grew between two {@link ResourceSnapshot snapshots}: each line names the resource and what
 * appeared. Only growth counts; something the cycles closed that was open before is no leak.
 * Descriptors are compared by their targets (a descriptor whose target was not open before, counting
 * repeats), so a long-lived object that replaced its file under the same name is not a leak.
 * The mapping count may grow by {@code mappingSlack} (the JVM's heap, code cache and malloc arenas
 * split and merge mappings on their own); {@code /dev/shm} mappings must match exactly.
 */
public final class LeakReport {
    private final String mechanism;
    private final int cycles;
    private final List<String> growth;
    private final ResourceSnapshot before;
    private final ResourceSnapshot after;

    private LeakReport(String mechanism, int cycles, List<String> growth, ResourceSnapshot before,
            ResourceSnapshot after) {
        this.mechanism = mechanism;
        this.cycles = cycles;
        this.growth = List.copyOf(growth);
        this.before = before;
        this.after = after;
    }

    /** Compares {@code after} with {@code before}. */
    public static LeakReport compare(String mechanism, int cycles, ResourceSnapshot before, ResourceSnapshot after,
            int mappingSlack) {
        List<String> growth = new ArrayList<>();
        // by target, not by number: a listener's rendezvous file may move to another number between snapshots
        List<String> targetsBefore = new ArrayList<>(before.descriptors().values());
        List<String> fds = new ArrayList<>();
        for (Map.Entry<Integer, String> e : after.descriptors().entrySet()) {
            if (!targetsBefore.remove(e.getValue())) {
                fds.add(e.getKey() + " -> " + e.getValue());
            }
        }
        if (!fds.isEmpty()) {
            growth.add("descriptors: " + before.descriptors().size() + " -> " + after.descriptors().size()
                    + ", new: " + sample(fds));
        }
        if (after.mappings() - before.mappings() > mappingSlack) {
            growth.add("mappings: " + before.mappings() + " -> " + after.mappings() + " (slack " + mappingSlack + ")");
        }
        List<String> shm = new ArrayList<>(after.shmMappings());
        before.shmMappings().forEach(shm::remove);
        if (!shm.isEmpty()) {
            growth.add("/dev/shm mappings: " + before.shmMappings().size() + " -> " + after.shmMappings().size()
                    + ", new: " + sample(shm));
        }
        List<String> threads = new ArrayList<>();
        after.threads().forEach((id, name) -> {
            if (!before.threads().containsKey(id)) {
                threads.add(name + " (id " + id + ")");
            }
        });
        if (after.threads().size() > before.threads().size()) {
            growth.add("threads: " + before.threads().size() + " -> " + after.threads().size() + ", new: "
                    + sample(threads));
        }
        added(growth, "/dev/shm", before.devShm(), after.devShm());
        added(growth, "/dev/mqueue", before.devMqueue(), after.devMqueue());
        added(growth, "/proc/sysvipc", before.sysv(), after.sysv());
        added(growth, "watched directories", before.directories(), after.directories());
        return new LeakReport(mechanism, cycles, growth, before, after);
    }

    private static void added(List<String> growth, String what, SortedSet<String> before, SortedSet<String> after) {
        SortedSet<String> added = new TreeSet<>(after);
        added.removeAll(before);
        if (!added.isEmpty()) {
            growth.add(what + ": " + before.size() + " -> " + after.size() + ", new: " + sample(new ArrayList<>(added)));
        }
    }

    private static String sample(List<String> items) {
        int shown = Math.min(10, items.size());
        String list = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? list + ", … (" + items.size() + " in all)" : list;
    }

    /** True if nothing grew. */
    public boolean clean() {
        return growth.isEmpty();
    }

    /** One line per resource that grew. */
    public List<String> growth() {
        return growth;
    }

    /** The snapshot taken before the counted cycles. */
    public ResourceSnapshot before() {
        return before;
    }

    /** The snapshot taken after them. */
    public ResourceSnapshot after() {
        return after;
    }

    @Override
    public String toString() {
        if (growth.isEmpty()) {
            return mechanism + ": " + cycles + " cycles left nothing behind (descriptors " + after.descriptors().size()
                    + ", mappings " + before.mappings() + " -> " + after.mappings() + ", threads "
                    + after.threads().size() + ")";
        }
        return mechanism + ": " + cycles + " cycles leaked:\n  " + String.join("\n  ", growth);
    }
}
