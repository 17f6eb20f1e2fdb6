package org.ipc4j.examples.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ipc4j.examples.Jvm;

/**
 * Runs the request/response pair: an {@link RpcServer} here and {@code clients} {@link RpcClient}
 * processes. {@code RpcExample [ADDRESS] [CLIENTS] [REQUESTS]}; the default address is a Unix socket
 * in a fresh temporary directory.
 */
public final class RpcExample {
    private RpcExample() {
    }

    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        System.exit(run(args.length > 0 ? args[0] : null, args.length > 1 ? Integer.parseInt(args[1]) : 3,
                args.length > 2 ? Integer.parseInt(args[2]) : 1000));
    }

    /** Runs it and returns the exit code: 0 if every client got every reply. */
    public static int run(String address, int clients, int requests) throws IOException, InterruptedException {
        Path dir = null;
        if (address == null) {
            dir = Files.createTempDirectory("ipc4j-rpc-");
            address = "unix:" + dir.resolve("rpc.sock");
        }
        try (RpcServer server = new RpcServer(address)) {
            System.out.println("server listening on " + server.address() + " ("
                    + (RpcServer.virtualThreads() ? "virtual" : "platform") + " threads per client)");
            List<Process> started = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                started.add(Jvm.start(RpcClient.class, server.address(), Integer.toString(requests)));
            }
            int failures = 0;
            for (Process p : started) {
                p.getInputStream().transferTo(System.out);
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    failures++;
                    p.destroyForcibly();
                }
            }
            System.out.println("server answered " + server.served() + " requests; " + failures + " client(s) failed");
            return failures == 0 && server.served() == (long) clients * requests ? 0 : 1;
        } finally {
            if (dir != null) {
                Files.deleteIfExists(dir.resolve("rpc.sock"));
                Files.deleteIfExists(dir);
            }
        }
    }
}
