package org.ipc4j.shm;

import java.util.List;
import org.ipc4j.Ipc;
import org.ipc4j.testkit.leak.LeakCase;
import org.ipc4j.testkit.leak.LeakCheck;
import org.ipc4j.testkit.leak.LeakContract;
import org.ipc4j.testkit.leak.LeakCycles;

/**
 * The leak suite for shared memory: regions, channels (listen/connect/accept, and accept cycles on
 * one listener, each accept building the next rendezvous file) and queues. Every cycle maps files in
 * {@code /dev/shm}: a mapping, descriptor, temporary file or name left behind is reported.
 */
class ShmLeakTest extends LeakContract {

    @Override
    protected List<LeakCase> leakCases() {
        String name = Names.unique("leak");
        return List.of(
                LeakCase.of(LeakCheck.of("shm region"), LeakCycles.region("shm:/" + name + "-r?exclusive&size=4KiB")),
                LeakCase.of(LeakCheck.of("shm channel: listen, connect, accept"),
                        LeakCycles.listenConnectAccept("shm:/" + name + "-l?capacity=1KiB")),
                LeakCase.around(LeakCheck.of("shm channel: accept cycles on one listener"),
                        () -> Ipc.listen("shm:/" + name + "-a?capacity=1KiB"), LeakCycles::connectAccept),
                LeakCase.of(LeakCheck.of("shm queue"),
                        LeakCycles.queue("shm:/" + name + "-q?exclusive&capacity=4&maxMessageSize=16")));
    }
}
