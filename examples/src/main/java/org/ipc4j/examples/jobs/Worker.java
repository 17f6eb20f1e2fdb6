package org.ipc4j.examples.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;
import org.ipc4j.examples.Jvm;

/**
 * A worker process: {@code Worker JOBS RESULTS} takes jobs (a number n) from the POSIX queue JOBS,
 * computes n², and puts "pid n n²" on RESULTS, until it takes the job "stop".
 */
public final class Worker {
    private Worker() {
    }

    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        long pid = ProcessHandle.current().pid();
        int done = 0;
        try (MessageQueue jobs = Ipc.openQueue(args[0]); MessageQueue results = Ipc.openQueue(args[1])) {
            ByteBuffer buffer = ByteBuffer.allocate(jobs.maxMessageSize());
            while (true) {
                buffer.clear();
                Received r = jobs.receive(buffer, Duration.ofSeconds(60));
                String job = new String(buffer.array(), 0, r.length(), StandardCharsets.US_ASCII);
                if (job.equals("stop")) {
                    break;
                }
                long n = Long.parseLong(job);
                String result = pid + " " + n + " " + (n * n);
                results.send(ByteBuffer.wrap(result.getBytes(StandardCharsets.US_ASCII)));
                done++;
            }
        }
        System.out.println("worker " + pid + ": " + done + " jobs");
    }
}
