package org.ipc4j.testkit.fault;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.PeerJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * What a {@link SharedRegion} backend must survive: creation in a full file system is refused with
 * an {@code IpcException} naming the region, never a SIGBUS or an {@code InternalError} later when
 * the pages are touched. Extend it and implement {@link #regionAddress} and {@link #storageDirectory()}.
 */
public abstract class RegionFaultContract {
    /** The longest a step may take. */
    protected static final Duration STEP = Duration.ofSeconds(30);
    /** The size of the region the case creates: larger than the whole full tmpfs. */
    protected static final long SIZE = 1 << 20;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** For subclasses. */
    protected RegionFaultContract() {
    }

    /** The address that creates region {@code uniqueName} of {@code size} bytes. */
    protected abstract String regionAddress(String uniqueName, long size);

    /** The directory the backend creates its region files in. */
    protected abstract Path storageDirectory();

    /** Adjusts every peer JVM before it starts. */
    protected void configurePeer(PeerJvm.Builder peer) {
    }

    /**
     * A peer fills a small tmpfs mounted over {@link #storageDirectory()} and creates a region there
     * (and, if that succeeded, writes every byte): refused with an {@code IpcException} naming it,
     * and the JVM exits normally.
     */
    @Test
    @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
    void creationInAFullTmpfsIsRefusedCleanly() throws Exception {
        String reason = FullTmpfs.unavailableReason();
        assumeTrue(reason == null, reason);
        String name = "r" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        PeerJvm.Builder builder = FullTmpfs.peer(storageDirectory(), "region", regionAddress(name, SIZE));
        configurePeer(builder);
        try (PeerJvm peer = builder.start()) {
            FullTmpfs.assertRefused(peer, name, STEP);
        }
    }
}
