package org.ipc4j.tools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.HdrHistogram.Histogram;
import org.ipc4j.Channel;
import org.ipc4j.posix.ChildProcess;

/**
 * The anonymous pipe: it only joins a parent and the child it starts, so this mechanism starts its
 * own child JVM ({@code ipc peer --pipe}) through ipc-posix's {@link ChildProcess}, which places the
 * pipe ends on the child's descriptors 3 (it reads) and 4 (it writes).
 */
final class PipeMechanism {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String CHILD_ADDRESS = "pipe:?read=3&write=4";

    private PipeMechanism() {
    }

    /** Why pipes cannot run, or null if ipc-posix's ChildProcess is on the class path. */
    static String unavailable() {
        try {
            Class.forName("org.ipc4j.posix.ChildProcess", false, PipeMechanism.class.getClassLoader());
            return Mechanisms.unavailableScheme("pipe");
        } catch (ClassNotFoundException | LinkageError e) {
            return "an anonymous pipe needs a child spawned with inherited descriptors: add ipc-posix (ChildProcess)";
        }
    }

    static Runner.Result run(long warmup, long count, int size) {
        List<String> cmd = new ArrayList<>(PeerLink.command());
        cmd.add("--pipe");
        cmd.add(Long.toString(warmup + count));
        cmd.add(Integer.toString(size));
        try (ChildProcess child = ChildProcess.builder(cmd).channel(3, 4).maxMessageSize(Math.max(size, 1))
                .stdin(ChildProcess.Stdio.NULL).stdout(ChildProcess.Stdio.PIPE).stderr(ChildProcess.Stdio.INHERIT)
                .start()) {
            try {
                Channel channel = child.channel();
                SplittableRandom random = new SplittableRandom(size);
                ByteBuffer out = ByteBuffer.allocateDirect(Math.max(size, 1));
                ByteBuffer in = ByteBuffer.allocateDirect(Math.max(size, 1));
                byte[] data = new byte[size];
                byte[] back = new byte[size];
                CRC32 sent = new CRC32();
                CRC32 received = new CRC32();
                Histogram h = new Histogram(3_600_000_000_000L, 3);
                boolean same = true;
                long start = 0;
                for (long i = 0; i < warmup + count; i++) {
                    if (i == warmup) {
                        start = System.nanoTime();
                    }
                    for (int j = 0; j < size; j++) {
                        data[j] = (byte) random.nextInt(256);
                    }
                    sent.update(data);
                    out.clear();
                    out.put(data).flip();
                    in.clear();
                    long t0 = System.nanoTime();
                    channel.send(out, TIMEOUT);
                    int n = channel.receive(in, TIMEOUT);
                    long t1 = System.nanoTime();
                    if (n < 0) {
                        throw new java.io.EOFException("the child closed the pipe after " + i + " round trips");
                    }
                    if (i >= warmup) {
                        h.recordValue(Math.max(1, t1 - t0));
                    }
                    if (n != size) {
                        same = false;
                        continue;
                    }
                    in.flip().get(back);
                    received.update(back);
                }
                long elapsed = System.nanoTime() - start;
                channel.close();
                String done = new BufferedReader(new InputStreamReader(child.stdout(), StandardCharsets.UTF_8)).readLine();
                String[] f = done == null ? new String[0] : done.split("\t");
                boolean verified = same && f.length >= 3 && f[0].equals("DONE")
                        && Long.parseLong(f[1]) == warmup + count && Long.parseLong(f[2]) == sent.getValue()
                        && received.getValue() == sent.getValue();
                child.waitFor(TIMEOUT);
                return new Runner.Result("pipe", "pipe: (child fds 3,4; pid " + child.pid() + ")", count, size,
                        verified, verified ? "ok" : "checksum mismatch: child said " + done, h, elapsed);
            } finally {
                if (child.isAlive()) {
                    child.destroy(Duration.ofSeconds(5));
                }
            }
        } catch (Exception | Error e) {
            return new Runner.Result("pipe", "pipe:", 0, size, false, "failed: " + Util.reason(e), null, 0);
        }
    }

    /** The child's side: echo {@code total} messages on fds 3/4, then print DONE total crc. */
    static int child(long total, int size) throws Exception {
        CRC32 crc = new CRC32();
        try (Channel c = org.ipc4j.Ipc.connect(CHILD_ADDRESS + "&maxMessageSize=" + Math.max(size, 1))) {
            ByteBuffer b = ByteBuffer.allocateDirect(Math.max(size, 1));
            for (long i = 0; i < total; i++) {
                b.clear();
                int n = c.receive(b, TIMEOUT);
                if (n < 0) {
                    System.out.println("ERROR\tend of stream after " + i);
                    return 1;
                }
                b.flip();
                crc.update(b.duplicate());
                c.send(b, TIMEOUT);
            }
        }
        System.out.println("DONE\t" + total + "\t" + crc.getValue());
        System.out.flush();
        return 0;
    }
}
