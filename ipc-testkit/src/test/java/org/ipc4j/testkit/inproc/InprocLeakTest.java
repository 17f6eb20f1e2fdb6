package org.ipc4j.testkit.inproc;

import java.util.List;
import org.ipc4j.Ipc;
import org.ipc4j.Signal;
import org.ipc4j.testkit.leak.LeakCase;
import org.ipc4j.testkit.leak.LeakCheck;
import org.ipc4j.testkit.leak.LeakContract;
import org.ipc4j.testkit.leak.LeakCycles;

/**
 * The leak suite for the reference backend. Its objects live in the JVM's heap, so besides the
 * process's descriptors and threads, every cycle creates with {@code exclusive}: a name that close
 * or unlink failed to release makes the next cycle fail.
 */
class InprocLeakTest extends LeakContract {
    private static final String NAME = "leak-" + ProcessHandle.current().pid();

    @Override
    protected List<LeakCase> leakCases() throws Exception {
        return List.of(
                LeakCase.of(LeakCheck.of("inproc channel: listen, connect, accept"),
                        LeakCycles.listenConnectAccept("inproc:/" + NAME + "-l")),
                LeakCase.around(LeakCheck.of("inproc channel: accept cycles on one listener"),
                        () -> Ipc.listen("inproc:/" + NAME + "-a"), LeakCycles::connectAccept),
                LeakCase.of(LeakCheck.of("inproc queue"),
                        LeakCycles.queue("inproc:/" + NAME + "-q?exclusive&capacity=2&maxMessageSize=16")),
                LeakCase.of(LeakCheck.of("inproc region"),
                        LeakCycles.region("inproc:/" + NAME + "-r?exclusive&size=64")),
                LeakCase.of(LeakCheck.of("inproc semaphore"),
                        LeakCycles.semaphore("inproc:/" + NAME + "-s?exclusive&initial=0")),
                LeakCase.of(LeakCheck.of("inproc signal registration"),
                        LeakCycles.signal(Ipc.signals(), Signal.USR1, 100)));
    }
}
