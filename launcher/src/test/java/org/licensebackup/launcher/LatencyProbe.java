package org.licensebackup.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

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
            print("backup_call_median_ms", op.median(calls, () -> backupCall.invoke(restorer, scratch, overwrite)));
            print("verify_call_median_ms", op.median(calls, () -> verifyCall.invoke(restorer, backup)));
            print("restore_call_median_ms", op.median(calls, () -> restoreCall.invoke(restorer, backup, plainRestore)));
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

        /** The median time, in milliseconds, that {@code call} takes to return, over {@code calls} calls. */
        double median(int calls, Call call) throws ReflectiveOperationException {
            double[] millis = new double[calls];
            for (int i = 0; i < calls; i++) {
                long started = System.nanoTime();
                Object running;
                try {
                    running = call.start();
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("the call failed", e.getCause());
                }
                millis[i] = (System.nanoTime() - started) / 1e6;
                cancel.invoke(running);
                // waits for the end, cancelled or not: the next call would be BUSY otherwise
                failure.invoke(result.invoke(running));
            }
            Arrays.sort(millis);
            return calls % 2 == 1 ? millis[calls / 2] : (millis[calls / 2 - 1] + millis[calls / 2]) / 2;
        }
    }
}
