package org.ipc4j.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
    @Test
    @Timeout(120)
    void quickBenchOfEveryMechanismWritesTableCsvJsonChartAndProgress(@TempDir Path out) throws Exception {
        Cli.Result r = Cli.run("bench", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("MECHANISM") && r.out().contains("P99"), r.toString());
        assertTrue(r.err().contains("bench [1/") && r.err().contains("shm-channel 64B"), "progress lines: " + r.err());
        List<String> csv = Files.readAllLines(out.resolve("bench.csv"));
        Set<String> rows = csv.stream().skip(1).map(l -> l.split(",")[0].replace("\"", "")).collect(Collectors.toSet());
        List<String> available = Mechanisms.ALL.stream().filter(m -> Mechanisms.unavailable(m) == null).toList();
        assertEquals(Mechanisms.ALL, available, "every mechanism must be available on a CI machine");
        assertTrue(rows.containsAll(available), "a row per mechanism: " + csv);
        assertTrue(rows.containsAll(List.of("jdk-nio-tcp", "jdk-nio-unix", "agrona-shm")), csv.toString());
        boolean gcc = Files.isExecutable(Path.of("/usr/bin/gcc"));
        if (gcc) {
            assertTrue(rows.containsAll(List.of("c-pipe", "c-unix")), csv.toString());
        }
        assertEquals(csv.size() - 1, rows.size(), "one row per mechanism: " + csv);
        for (String line : csv.subList(1, csv.size())) {
            assertTrue(line.endsWith("\"ok\""), line);
        }
        String json = Files.readString(out.resolve("bench.json"));
        assertTrue(json.startsWith("{") && json.contains("\"p99us\""), json);
        Path svg = out.resolve("bench.svg");
        assertTrue(Files.size(svg) > 500, "chart too small");
        assertTrue(Files.readString(svg).startsWith("<svg") && Files.readString(svg).contains("jdk-nio-unix"));
    }
}
