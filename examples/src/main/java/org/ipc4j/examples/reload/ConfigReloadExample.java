package org.ipc4j.examples.reload;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.ipc4j.Ipc;
import org.ipc4j.Signal;
import org.ipc4j.SignalRegistration;
import org.ipc4j.examples.Jvm;

/**
 * Reloads a configuration file on SIGHUP, the Unix convention for daemons, and stops on SIGTERM.
 * {@code ConfigReloadExample FILE} runs until {@code kill -TERM}; {@code kill -HUP PID} reloads.
 * {@code ConfigReloadExample --self-test} writes a file, changes it, sends itself SIGHUP and checks
 * that the new value took effect.
 */
public final class ConfigReloadExample {
    private final Path file;
    private final AtomicReference<Properties> config = new AtomicReference<>(new Properties());

    ConfigReloadExample(Path file) throws IOException {
        this.file = file;
        load("loaded");
    }

    private void load(String verb) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        config.set(p);
        System.out.println(verb + " " + file + ": greeting=" + p.getProperty("greeting"));
        System.out.flush();
    }

    String greeting() {
        return config.get().getProperty("greeting");
    }

    @SuppressWarnings("try")   // the registrations are held for the try block's duration, not used in it
    public static void main(String[] args) throws Exception {
        Jvm.quietLogs();
        if (args.length == 1 && args[0].equals("--self-test")) {
            System.exit(selfTest());
        }
        if (args.length != 1) {
            System.err.println("usage: ConfigReloadExample FILE | --self-test");
            System.exit(2);
        }
        ConfigReloadExample app = new ConfigReloadExample(Path.of(args[0]));
        CountDownLatch stop = new CountDownLatch(1);
        try (SignalRegistration hup = Ipc.signals().handle(Signal.HUP, s -> app.reload());
             SignalRegistration term = Ipc.signals().handle(Signal.TERM, s -> stop.countDown())) {
            System.out.println("running as pid " + ProcessHandle.current().pid() + "; kill -HUP to reload,"
                    + " kill -TERM to stop");
            System.out.flush();
            stop.await();
        }
        System.out.println("stopped");
    }

    private void reload() {
        try {
            load("reloaded");
        } catch (IOException e) {
            System.out.println("reload failed, keeping the old configuration: " + e.getMessage());
        }
    }

    @SuppressWarnings("try")
    static int selfTest() throws Exception {
        Path dir = Files.createTempDirectory("ipc4j-reload-");
        Path file = dir.resolve("app.properties");
        try {
            Files.writeString(file, "greeting=hello\n");
            ConfigReloadExample app = new ConfigReloadExample(file);
            CountDownLatch reloaded = new CountDownLatch(1);
            try (SignalRegistration hup = Ipc.signals().handle(Signal.HUP, s -> {
                app.reload();
                reloaded.countDown();
            })) {
                Files.writeString(file, "greeting=bonjour\n");
                Ipc.signals().send(ProcessHandle.current().pid(), Signal.HUP);
                boolean ok = reloaded.await(10, TimeUnit.SECONDS) && "bonjour".equals(app.greeting());
                System.out.println(ok ? "self-test passed" : "self-test FAILED: greeting=" + app.greeting());
                return ok ? 0 : 1;
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
