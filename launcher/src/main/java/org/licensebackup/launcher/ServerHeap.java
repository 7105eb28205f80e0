package org.licensebackup.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The heap limit of a license server run by this launcher. A JVM's heap is fixed when it starts, and
 * {@code java -jar license-backup.jar server} is started by the user, so the launcher runs the server
 * in a JVM of its own with {@value #DEFAULT_HEAP} (or {@code $}{@value #HEAP_VARIABLE}), its output
 * and input the launcher's, and ends with it. Without a limit the JVM takes a quarter of the
 * machine's memory, and a flood it does not refuse fast enough grows into all of it (715 MB of RSS
 * were seen). A heap limit given to the launcher's own JVM ({@code -Xmx}, {@code -XX:MaxRAMPercentage})
 * is the operator's choice: then the server runs in that JVM, as before.
 */
final class ServerHeap {

    /**
     * Enough for {@code max.threads} (32) batches of 2,048 licenses at once beside the bodies being
     * read ({@code request.body.budget.mb}, 128 MiB) and the ledger's cache; the load test
     * ({@code HostileTrafficIT}) measures what it uses under attack.
     */
    static final String DEFAULT_HEAP = "512m";
    /** The environment variable that sets another limit, in {@code -Xmx}'s form: {@code 1g}, {@code 768m}. */
    static final String HEAP_VARIABLE = "LICENSEBACKUP_SERVER_HEAP";
    /** Set in the server's own JVM to the launcher's process ID: it ends when the launcher is gone. */
    static final String PARENT_VARIABLE = "LICENSEBACKUP_SERVER_PARENT";

    private ServerHeap() {
    }

    /**
     * The command that runs {@code args} in a JVM of the server's heap, or empty when this JVM is to
     * run them: not the server, a heap limit given already, or this JVM is that server's already.
     */
    static Optional<List<String>> serverJvm(List<String> command, String[] args, Map<String, String> environment) {
        if (command.isEmpty() || !command.get(0).equals(Role.SERVER_COMMAND) || environment.containsKey(PARENT_VARIABLE)) {
            return Optional.empty();
        }
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (jvmOptions.stream().anyMatch(ServerHeap::limitsHeap)) {
            return Optional.empty();
        }
        String heap = environment.getOrDefault(HEAP_VARIABLE, DEFAULT_HEAP).strip();
        List<String> jvm = new ArrayList<>();
        jvm.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        jvm.addAll(jvmOptions);
        jvm.add("-Xmx" + heap);
        jvm.add("-cp");
        jvm.add(System.getProperty("java.class.path"));
        jvm.add(Main.class.getName());
        jvm.addAll(List.of(args));
        return Optional.of(jvm);
    }

    static boolean limitsHeap(String jvmOption) {
        return jvmOption.startsWith("-Xmx") || jvmOption.startsWith("-XX:MaxHeapSize") || jvmOption.startsWith("-XX:MaxRAMPercentage")
                || jvmOption.startsWith("-XX:MaxRAM=");
    }

    /**
     * Runs the server's JVM to its end, stopping it as Ctrl-C would when this process is stopped.
     *
     * @return its exit code
     */
    static int run(List<String> jvm) throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder(jvm).inheritIO();
        builder.environment().put(PARENT_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        Process server = builder.start();
        Thread stopper = new Thread(() -> {
            server.destroy();
            try {
                server.waitFor();
            } catch (InterruptedException e) {
                server.destroyForcibly();
            }
        }, "license-server-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return server.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        }
    }

    /**
     * In the server's JVM: when the launcher that started it is gone (killed, so that it could not
     * stop this one), this one goes too, at once, as a killed server would.
     */
    static void endWithParent(Map<String, String> environment) {
        String parent = environment.get(PARENT_VARIABLE);
        if (parent == null) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(parent.strip())).ifPresentOrElse(
                    launcher -> launcher.onExit().thenRun(() -> Runtime.getRuntime().halt(Main.FAILED)),
                    () -> Runtime.getRuntime().halt(Main.FAILED));
        } catch (NumberFormatException e) {
            // not set by this launcher: nothing to watch
        }
    }
}
