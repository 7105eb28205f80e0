package org.licensebackup.launcher;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs in a JVM of its own, on the launcher jar's class path: starts the launcher's framework on a
 * home, as the launcher does, and measures from inside that JVM how long the bundle set takes to be
 * ACTIVE and the {@code BackupRestorer} service to be there, then how long {@code backup()},
 * {@code verify()} and {@code restore()} take to return (each call's operation is cancelled and
 * awaited before the next, as only one runs at a time). The service's classes live in the
 * framework, so it calls them by reflection through the API bundle's own types. Prints one
 * {@code probe: NAME VALUE} line per figure.
 *
 * <p>{@code java -cp license-backup.jar:test-classes org.licensebackup.launcher.LatencyProbe HOME BACKUP-DIR SCRATCH-DIR CALLS}
 */
public final class LatencyProbe {

    private static final String API = "org.licensebackup.api.";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Path backup = Path.of(args[1]).toAbsolutePath();
        Path scratch = Path.of(args[2]).toAbsolutePath();
        int calls = Integer.parseInt(args[3]);
        Files.createDirectories(scratch);
        long started = System.nanoTime();
        EmbeddedFramework framework = EmbeddedFramework.start(Main.frameworkProperties(home, false), Main.bundleDirectory(),
                Role.DEVICE);
        long active = System.nanoTime();
        if (!framework.failures().isEmpty()) {
            throw new IllegalStateException("not every bundle is ACTIVE: " + framework.failures());
        }
        BundleContext context = framework.bundleContext();
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, API + "BackupRestorer", null);
        tracker.open();
        try {
            Object restorer = tracker.waitForService(60_000);
            long ready = System.nanoTime();
            if (restorer == null) {
                throw new IllegalStateException("no BackupRestorer service within 60 s");
            }
            print("bundles_active_ms", (active - started) / 1e6);
            print("backup_restorer_ready_ms", (ready - started) / 1e6);
            ClassLoader api = tracker.getServiceReference().getBundle().adapt(org.osgi.framework.wiring.BundleWiring.class)
                    .getClassLoader();
            Class<?> restorerType = api.loadClass(API + "BackupRestorer");
            Class<?> backupOptions = api.loadClass(API + "BackupOptions");
            Class<?> restoreOptions = api.loadClass(API + "RestoreOptions");
            Method backupCall = restorerType.getMethod("backup", Path.class, backupOptions);
            Method verifyCall = restorerType.getMethod("verify", Path.class);
            Method restoreCall = restorerType.getMethod("restore", Path.class, restoreOptions);
            Object overwrite = backupOptions.getMethod("overwriting").invoke(null);
            Object plainRestore = restoreOptions.getMethod("defaults").invoke(null);
            Class<?> operation = api.loadClass(API + "Operation");
            Method cancel = operation.getMethod("cancel");
            Method result = operation.getMethod("result");
            Method failure = result.getReturnType().getMethod("getFailure");
            Op op = new Op(cancel, result, failure);
            Map<String, Call> kinds = new LinkedHashMap<>();
            kinds.put("backup", () -> backupCall.invoke(restorer, scratch, overwrite));
            kinds.put("verify", () -> verifyCall.invoke(restorer, backup));
            kinds.put("restore", () -> restoreCall.invoke(restorer, backup, plainRestore));
            // round by round, so that each kind gets as warm a JIT as the others: the first calls run interpreted
            Map<String, double[]> millis = new LinkedHashMap<>();
            Map<String, Double> firstCpuMillis = new LinkedHashMap<>();
            kinds.keySet().forEach(kind -> millis.put(kind, new double[calls]));
            for (int i = 0; i < calls; i++) {
                for (Map.Entry<String, Call> kind : kinds.entrySet()) {
                    double[] wallAndCpu = op.time(kind.getValue());
                    millis.get(kind.getKey())[i] = wallAndCpu[0];
                    if (i == 0) {
                        firstCpuMillis.put(kind.getKey(), wallAndCpu[1]);
                    }
                }
            }
            for (Map.Entry<String, double[]> kind : millis.entrySet()) {
                print(kind.getKey() + "_call_first_ms", kind.getValue()[0]);
                // the calling thread's own CPU time: what the call costs, without the waits for a core that a busy machine adds
                print(kind.getKey() + "_call_first_cpu_ms", firstCpuMillis.get(kind.getKey()));
                double[] sorted = kind.getValue().clone();
                Arrays.sort(sorted);
                print(kind.getKey() + "_call_median_ms", calls % 2 == 1 ? sorted[calls / 2] : (sorted[calls / 2 - 1] + sorted[calls / 2]) / 2);
                print(kind.getKey() + "_call_max_ms", sorted[calls - 1]);
            }
        } finally {
            tracker.close();
            framework.stop(System.err);
            Main.deleteRecursively(home.resolve(Main.FRAMEWORK_CACHE_FOLDER));
        }
    }

    private static void print(String name, double value) {
        System.out.printf(Locale.ROOT, "probe: %s %.4f%n", name, value);
    }

    private interface Call {
        Object start() throws ReflectiveOperationException;
    }

    private record Op(Method cancel, Method result, Method failure) {

        /**
         * How long, in milliseconds, {@code call} takes to return, in wall time and in the calling
         * thread's CPU time; its operation is then cancelled and awaited.
         */
        double[] time(Call call) throws ReflectiveOperationException {
            long cpuAtStart = THREADS.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            Object running;
            try {
                running = call.start();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("the call failed", e.getCause());
            }
            double millis = (System.nanoTime() - started) / 1e6;
            double cpuMillis = (THREADS.getCurrentThreadCpuTime() - cpuAtStart) / 1e6;
            cancel.invoke(running);
            // waits for the end, cancelled or not: the next call would be BUSY otherwise
            failure.invoke(result.invoke(running));
            return new double[] {millis, cpuMillis};
        }
    }
}
