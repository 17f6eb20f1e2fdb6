package org.ipc4j.shm.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ipc4j.Channel;
import org.ipc4j.ChannelListener;
import org.ipc4j.Ipc;
import org.ipc4j.MessageHandler;
import org.ipc4j.SharedRegion;
import org.ipc4j.testkit.ThreadPerTaskExecutor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process micro-costs: one 64-byte record written and read back on a shm channel (one thread,
 * the ring never fills), and single region operations. Run:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main RecordBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.log.net.openhft=off", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RecordBench {
    private ChannelListener listener;
    private Channel server;
    private Channel client;
    private Channel singleServer;
    private Channel singleClient;
    private Channel confinedServer;
    private Channel confinedClient;
    private SharedRegion region;
    private long sink;
    private final MessageHandler consume = m -> sink += m.remaining();
    private final ByteBuffer out = ByteBuffer.allocateDirect(64);
    private final ByteBuffer in = ByteBuffer.allocateDirect(64);
    private final org.agrona.concurrent.ringbuffer.RingBuffer agrona = new org.agrona.concurrent.ringbuffer.OneToOneRingBuffer(
            new org.agrona.concurrent.UnsafeBuffer(ByteBuffer.allocateDirect(
                    (1 << 20) + org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH)));
    private final org.agrona.concurrent.UnsafeBuffer agronaMessage = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
    private final org.agrona.concurrent.MessageHandler agronaConsume = (type, buffer, index, length) -> sink += length;

    @Setup(Level.Trial)
    public void open() throws Exception {
        String name = "ipc4j-jmh-" + ProcessHandle.current().pid();
        listener = Ipc.listen("shm:/" + name + "?capacity=1MiB&wait=spin");
        Channel[] plain = pair("shm:/" + name + "?wait=spin");
        server = plain[0];
        client = plain[1];
        Channel[] single = pair("shm:/" + name + "?wait=spin&singleSender");
        singleServer = single[0];
        singleClient = single[1];
        Channel[] confined = pair("shm:/" + name + "?wait=spin&singleSender&singleReceiver");
        confinedServer = confined[0];
        confinedClient = confined[1];
        region = Ipc.openRegion("shm:/" + name + "-region?create&size=4KiB");
        region.unlink();
    }

    /** Connects to {@code address} from another thread while this one accepts: {server, client}. */
    private Channel[] pair(String address) throws Exception {
        CompletableFuture<Channel> client = CompletableFuture.supplyAsync(() -> {
            try {
                return Ipc.connect(address);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, ThreadPerTaskExecutor.INSTANCE);
        Channel accepted = listener.accept(Duration.ofSeconds(30));
        return new Channel[] {accepted, client.get(30, TimeUnit.SECONDS)};
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        client.close();
        server.close();
        singleClient.close();
        singleServer.close();
        confinedClient.close();
        confinedServer.close();
        listener.close();
        region.close();
    }

    /** One send and one receive of a 64-byte message. */
    @Benchmark
    public int writeAndReadRecord() throws IOException {
        out.clear();
        client.send(out);
        in.clear();
        return server.receive(in);
    }

    /** One 64-byte send with singleSender and one drain of it: a ping-pong side's work per message. */
    @Benchmark
    public int writeSingleSenderAndDrainOne() throws IOException {
        out.clear();
        singleClient.send(out);
        return singleServer.drain(consume, 1);
    }

    /** As {@link #writeSingleSenderAndDrainOne()}, both ends opened with singleSender and singleReceiver. */
    @Benchmark
    public int writeAndDrainOneConfined() throws IOException {
        out.clear();
        confinedClient.send(out);
        return confinedServer.drain(consume, 1);
    }

    /** A confined send and a receive (a copy out) of it: the timing side's work per round trip. */
    @Benchmark
    public int writeAndReceiveConfined() throws IOException {
        out.clear();
        confinedClient.send(out);
        in.clear();
        return confinedServer.receive(in);
    }

    /** The same on Agrona's OneToOneRingBuffer over a direct buffer of the same capacity: write, then read one. */
    @Benchmark
    public int agronaWriteAndReadOne() {
        agrona.write(1, agronaMessage, 0, 64);
        return agrona.read(agronaConsume, 1);
    }

    /** Sixteen 64-byte sends, then one drain of them; per message. */
    @Benchmark
    @OperationsPerInvocation(16)
    public int writeSixteenAndDrain() throws IOException {
        return sendSixteenAndDrain(client, server);
    }

    /** As {@link #writeSixteenAndDrain()}, the sending end opened with singleSender (sends take no lock). */
    @Benchmark
    @OperationsPerInvocation(16)
    public int writeSixteenSingleSenderAndDrain() throws IOException {
        return sendSixteenAndDrain(singleClient, singleServer);
    }

    private int sendSixteenAndDrain(Channel from, Channel to) throws IOException {
        for (int i = 0; i < 16; i++) {
            out.clear();
            from.send(out);
        }
        return to.drain(consume, 16);
    }

    /** One region getAndAddLong. */
    @Benchmark
    public long regionGetAndAdd() {
        return region.getAndAddLong(64, 1);
    }

    /** One region ordered write then acquire read. */
    @Benchmark
    public long regionReleaseAcquire() {
        region.putLongRelease(128, 7);
        return region.getLongAcquire(128);
    }
}
