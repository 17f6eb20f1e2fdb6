package org.ipc4j.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ipc4j.IpcAddress;
import org.ipc4j.IpcTimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc recv URI [--count N] [--timeout T]}. */
@Command(name = "recv", mixinStandardHelpOptions = true,
        description = {"Receives messages from a channel or a queue and prints one per line.",
            "mq: and sysvmq: addresses are queues; every other address is a channel (connect), or with --listen"
                + " a listener that accepts one peer; --queue opens a shm: queue.",
            "--count 0 receives until end of stream or, with --timeout, until nothing came for that long.",
            "Examples:",
            "  ipc recv 'mq:/jobs' --count 10 --timeout 5s",
            "  ipc recv --listen unix:/tmp/app.sock --count 0"})
final class RecvCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "the address")
    String uri;

    @Option(names = "--count", defaultValue = "1", description = "messages to receive; 0 = until end (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--timeout", converter = Util.DurationConverter.class,
            description = "longest wait for each message (and for a peer with --listen), such as 5s")
    Duration timeout;

    @Option(names = "--queue", description = "open the address as a message queue (shm:)")
    boolean queue;

    @Option(names = "--listen", description = "listen at the address and receive from the first peer")
    boolean listen;

    @Option(names = "--hex", description = "print messages as hex")
    boolean hex;

    @Option(names = "--json", description = "print one JSON object per message")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "say on standard error when the address is open")
    boolean verbose;

    @Option(names = "--max-size", defaultValue = "16777216", description = "largest message accepted (default ${DEFAULT-VALUE})")
    int maxSize;

    @Override
    public Integer call() throws Exception {
        if (count < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be >= 0: " + count);
        }
        IpcAddress.parse(uri);
        PrintWriter out = spec.commandLine().getOut();
        try (Endpoint endpoint = open()) {
            if (verbose) {
                spec.commandLine().getErr().println("opened " + uri);
                spec.commandLine().getErr().flush();
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.min(maxSize, Math.max(1, endpoint.maxMessageSize())));
            for (int i = 0; count == 0 || i < count; i++) {
                buffer.clear();
                int n;
                try {
                    n = endpoint.receive(buffer, timeout);
                } catch (IpcTimeoutException e) {
                    if (count == 0) {
                        break;
                    }
                    throw new IOException("timed out after " + timeout + " waiting for message " + (i + 1)
                            + " of " + count + " on " + uri, e);
                }
                if (n < 0) {
                    if (count == 0) {
                        break;
                    }
                    throw new IOException("end of stream on " + uri + " after " + i + " of " + count + " messages");
                }
                byte[] data = new byte[n];
                buffer.flip().get(data);
                print(out, i, data);
            }
        }
        out.flush();
        return 0;
    }

    private Endpoint open() throws IOException {
        if (listen) {
            return Endpoint.accept(uri, timeout, a -> {
                spec.commandLine().getErr().println("listening on " + a);
                spec.commandLine().getErr().flush();
            });
        }
        return Endpoint.open(uri, queue);
    }

    private void print(PrintWriter out, int index, byte[] data) {
        String text = hex ? HexFormat.of().formatHex(data) : new String(data, StandardCharsets.UTF_8);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index);
            m.put("length", data.length);
            m.put(hex ? "hex" : "text", text);
            out.println(Util.json(m));
        } else {
            out.println(text);
        }
        out.flush();
    }
}
