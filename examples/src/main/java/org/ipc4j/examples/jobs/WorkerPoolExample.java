package org.ipc4j.examples.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Ipc;
import org.ipc4j.MessageQueue;
import org.ipc4j.Received;
import org.ipc4j.examples.Jvm;

/**
 * A worker pool fed by a POSIX message queue: this process makes a job queue and a result queue,
 * starts {@code workers} {@link Worker} processes, puts {@code jobs} jobs on the queue (blocking while
 * it is full: the kernel does the back-pressure), collects the results, stops the workers, and removes
 * both queues. {@code WorkerPoolExample [WORKERS] [JOBS]}.
 */
public final class WorkerPoolExample {
    private WorkerPoolExample() {
    }

    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        System.exit(run(args.length > 0 ? Integer.parseInt(args[0]) : 3, args.length > 1 ? Integer.parseInt(args[1]) : 200));
    }

    /** Runs it; 0 if every job came back right. */
    public static int run(int workers, int jobs) throws Exception {
        String name = "ipc4j-example-" + ProcessHandle.current().pid();
        String jobsAddress = "mq:/" + name + "-jobs";
        String resultsAddress = "mq:/" + name + "-results";
        try (MessageQueue jobQueue = Ipc.openQueue(jobsAddress + "?exclusive&capacity=10&maxMessageSize=64");
             MessageQueue results = Ipc.openQueue(resultsAddress + "?exclusive&capacity=10&maxMessageSize=64")) {
            List<Process> pool = new ArrayList<>();
            try {
                for (int i = 0; i < workers; i++) {
                    pool.add(Jvm.start(Worker.class, jobsAddress, resultsAddress));
                }
                Thread feeder = new Thread(() -> {
                    try {
                        for (int n = 1; n <= jobs; n++) {
                            jobQueue.send(ByteBuffer.wrap(Integer.toString(n).getBytes(StandardCharsets.US_ASCII)));
                        }
                    } catch (Exception e) {
                        System.err.println("feeder: " + e.getMessage());
                    }
                }, "feeder");
                feeder.start();
                Map<String, Integer> perWorker = new TreeMap<>();
                long sum = 0;
                ByteBuffer buffer = ByteBuffer.allocate(64);
                for (int i = 0; i < jobs; i++) {
                    buffer.clear();
                    Received r = results.receive(buffer, Duration.ofSeconds(60));
                    String[] f = new String(buffer.array(), 0, r.length(), StandardCharsets.US_ASCII).split(" ");
                    long n = Long.parseLong(f[1]);
                    if (Long.parseLong(f[2]) != n * n) {
                        System.out.println("wrong result from worker " + f[0] + ": " + String.join(" ", f));
                        return 1;
                    }
                    sum += n;
                    perWorker.merge(f[0], 1, Integer::sum);
                }
                feeder.join();
                for (int i = 0; i < workers; i++) {
                    jobQueue.send(ByteBuffer.wrap("stop".getBytes(StandardCharsets.US_ASCII)));
                }
                int failures = 0;
                for (Process p : pool) {
                    p.getInputStream().transferTo(System.out);
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        failures++;
                    }
                }
                boolean ok = failures == 0 && sum == (long) jobs * (jobs + 1) / 2;
                System.out.println(jobs + " jobs done by " + perWorker.size() + " workers " + perWorker.values()
                        + (ok ? "; all results correct" : "; FAILED"));
                return ok ? 0 : 1;
            } finally {
                pool.forEach(Process::destroyForcibly);   // no-op for workers that already exited
                jobQueue.unlink();
                results.unlink();
            }
        }
    }
}
