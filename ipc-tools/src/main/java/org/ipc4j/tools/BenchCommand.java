package org.ipc4j.tools;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ipc bench}. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "bench")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
