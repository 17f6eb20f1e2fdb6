package org.ipc4j.tools;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import picocli.CommandLine.Command;

/**
 * The hidden {@code ipc peer}: the second process of {@code ipc demo} and {@code ipc bench}. Reads
 * tab-separated commands on standard input:
 * <pre>
 * RUN  mechanism count size arg…   open the other end, print READY, echo count messages, print
 *                                  DONE count crc32-of-received-bytes
 * </pre>
 * Prints {@code PEER pid} when started and {@code ERROR reason} on failure; exits at end of input.
 */
@Command(name = "peer", hidden = true, description = "internal: the second process of demo and bench")
final class PeerCommand implements Callable<Integer> {
    static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(30);

    @picocli.CommandLine.Option(names = "--pipe", arity = "2", paramLabel = "N",
            description = "echo COUNT messages of SIZE bytes on pipe:?read=3&write=4 and exit")
    List<String> pipe;

    @Override
    public Integer call() throws Exception {
        if (pipe != null) {
            return PipeMechanism.child(Long.parseLong(pipe.get(0)), Integer.parseInt(pipe.get(1)));
        }
        PrintStream out = System.out;
        out.println("PEER\t" + ProcessHandle.current().pid());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split("\t");
            if (f[0].equals("RUN") && f.length >= 4) {
                run(out, f[1], Long.parseLong(f[2]), Integer.parseInt(f[3]), Arrays.asList(f).subList(4, f.length));
            } else if (f[0].equals("EXIT")) {
                break;
            } else if (f[0].equals("RAW") && f.length >= 3) {
                try {
                    if (f[1].equals(AgronaBaseline.NAME)) {
                        AgronaBaseline.echo(f[2]);
                    } else {
                        NioBaseline.echo(f[1], f[2]);
                    }
                    out.println("DONE\traw");
                } catch (Exception e) {
                    out.println("ERROR\t" + Util.reason(e));
                }
            } else {
                out.println("ERROR\tunknown command: " + line);
            }
            out.flush();
        }
        return 0;
    }

    private static void run(PrintStream out, String mechanism, long count, int size, List<String> args) {
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            Endpoint endpoint = Mechanisms.peer(mechanism, args, toClose);
            toClose.add(0, endpoint);
            out.println("READY");
            out.flush();
            ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(size, 1));
            CRC32 crc = new CRC32();
            for (long i = 0; i < count; i++) {
                buffer.clear();
                int n = endpoint.receive(buffer, MESSAGE_TIMEOUT);
                if (n < 0) {
                    throw new java.io.EOFException("end of stream after " + i + " of " + count + " messages");
                }
                buffer.flip();
                crc.update(buffer.duplicate());
                endpoint.send(buffer, MESSAGE_TIMEOUT);
            }
            out.println("DONE\t" + count + "\t" + crc.getValue());
        } catch (Exception | Error e) {
            out.println("ERROR\t" + mechanism + ": " + Util.reason(e));
        } finally {
            for (AutoCloseable c : toClose) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        out.flush();
    }
}
