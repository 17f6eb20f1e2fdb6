package org.ipc4j.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ipc4j.IpcAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipc send URI [MESSAGE|-]}. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Sends messages to a channel or a queue.",
            "mq: and sysvmq: addresses are queues; every other address is a channel (connect) unless --queue"
                + " is given (for shm: queues). MESSAGE '-' or none reads standard input: one message per"
                + " line, or the whole input as one message with --whole.",
            "Examples:",
            "  ipc send 'mq:/jobs?create' hello",
            "  echo hi | ipc send unix:/tmp/app.sock",
            "  ipc send --queue 'shm:/q?create&capacity=64' hello"})
final class SendCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "the address, such as tcp://127.0.0.1:7000")
    String uri;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MESSAGE", description = "the message; '-' or absent: stdin")
    String message;

    @Option(names = "--queue", description = "open the address as a message queue (shm:)")
    boolean queue;

    @Option(names = "--listen", description = "listen at the address and send to the first peer that connects")
    boolean listen;

    @Option(names = "--whole", description = "send all of standard input as one message")
    boolean whole;

    @Option(names = "--priority", defaultValue = "0", description = "queue priority (default ${DEFAULT-VALUE})")
    int priority;

    @Option(names = "--timeout", converter = Util.DurationConverter.class,
            description = "give up after this long waiting for room or a peer, such as 5s")
    Duration timeout;

    @Option(names = "--json", description = "print what was sent as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        IpcAddress.parse(uri);
        int sent = 0;
        long bytes = 0;
        String bound = uri;
        try (Endpoint endpoint = openEndpoint()) {
            if (message != null && !message.equals("-")) {
                bytes += send(endpoint, message.getBytes(StandardCharsets.UTF_8));
                sent++;
            } else if (whole) {
                bytes += send(endpoint, System.in.readAllBytes());
                sent++;
            } else {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    bytes += send(endpoint, line.getBytes(StandardCharsets.UTF_8));
                    sent++;
                }
            }
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", bound);
            m.put("messages", sent);
            m.put("bytes", bytes);
            spec.commandLine().getOut().println(Util.json(m));
        }
        return 0;
    }

    private Endpoint openEndpoint() throws IOException {
        if (listen) {
            return Endpoint.accept(uri, timeout, a -> spec.commandLine().getErr().println("listening on " + a));
        }
        if (priority != 0 && Endpoint.isQueue(uri, queue)) {
            org.ipc4j.MessageQueue q = org.ipc4j.Ipc.openQueue(uri);
            return new PriorityQueueEndpoint(q, priority);
        }
        return Endpoint.open(uri, queue);
    }

    private int send(Endpoint endpoint, byte[] data) throws IOException {
        endpoint.send(ByteBuffer.wrap(data), timeout);
        return data.length;
    }

    /** A queue endpoint that sends with a fixed priority. */
    private static final class PriorityQueueEndpoint implements Endpoint {
        private final org.ipc4j.MessageQueue q;
        private final int priority;

        PriorityQueueEndpoint(org.ipc4j.MessageQueue q, int priority) {
            this.q = q;
            this.priority = priority;
        }

        @Override
        public void send(ByteBuffer m, Duration t) throws IOException {
            if (t == null) {
                q.send(m, priority);
            } else {
                q.send(m, priority, t);
            }
        }

        @Override
        public int receive(ByteBuffer dst, Duration t) throws IOException {
            throw new UnsupportedOperationException("send only");
        }

        @Override
        public int maxMessageSize() {
            return q.maxMessageSize();
        }

        @Override
        public void close() throws IOException {
            q.close();
        }
    }
}
