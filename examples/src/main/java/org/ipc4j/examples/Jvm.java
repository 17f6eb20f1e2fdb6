package org.ipc4j.examples;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Starts another JVM on this JVM's class path, for examples that need a second process. */
public final class Jvm {
    private Jvm() {
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM with the same class path and the same
     * {@code --add-*} and native-access flags; its standard error is shared with this process.
     */
    public static Process start(Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        boolean nativeAccess = false;
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access")) {
                cmd.add(a);
                nativeAccess |= a.startsWith("--enable-native-access");
            }
        }
        if (!nativeAccess) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Quiets library logging unless the user chose a level. */
    public static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }
}
