package org.ipc4j.examples.rpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ipc4j.Channel;
import org.ipc4j.Ipc;
import org.ipc4j.examples.Jvm;

/** The client process: {@code RpcClient ADDRESS COUNT} sends COUNT requests and checks each reply. */
public final class RpcClient {
    private RpcClient() {
    }

    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        String address = args[0];
        int count = Integer.parseInt(args[1]);
        long start = System.nanoTime();
        try (Channel c = Ipc.connect(address)) {
            ByteBuffer buffer = ByteBuffer.allocate(RpcServer.MAX_REQUEST);
            for (int i = 0; i < count; i++) {
                String request = "quote " + i + " for pid " + ProcessHandle.current().pid();
                c.send(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
                buffer.clear();
                if (c.receive(buffer) < 0) {
                    System.out.println("client: the server closed the connection");
                    System.exit(1);
                }
                String reply = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                if (!reply.equals(request.toUpperCase(Locale.ROOT))) {
                    System.out.println("client: wrong reply to '" + request + "': '" + reply + "'");
                    System.exit(1);
                }
            }
        }
        System.out.printf(Locale.ROOT, "client %d: %d replies ok, %.1f us per request%n", ProcessHandle.current().pid(),
                count, (System.nanoTime() - start) / 1e3 / count);
    }
}
