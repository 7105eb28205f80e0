package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The license server under attack, from outside, as its operator would see it: a real server process
 * (the launcher's, with the heap limit the launcher gives it), good devices that restore through it as
 * processes of their own, and attackers in this JVM that hold 200 stalled uploads, flood it with nonce
 * requests and send malformed requests ({@link Attackers}). The good devices all finish, the device
 * limit stays exact, the server's heap stays under its limit and its console shows no stack trace.
 * It prints the good devices' restore times (median, 99th percentile) with and without the attack
 * and asserts none. {@code -Dhostile.rounds=N} (the benchmark profile: 5) runs more rounds of each.
 */
class HostileTrafficIT extends ProcessTestSupport {

    private static final int DEVICE_LIMIT = 3;
    /** Twice the limit: as many devices are refused as restore. */
    private static final int DEVICES_PER_ROUND = 2 * DEVICE_LIMIT;
    private static final int STALLED_UPLOADS = 200;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");
    /** The restore's own time, as its report gives it: from its start in a running host to its end. */
    private static final Pattern RESTORE_TIME = Pattern.compile("^restored [0-9,]+ of [0-9,]+ licenses? in ([0-9.]+) s");

    @Test
    void goodDevicesRestoreWhileAttackersStallUploadsFloodNoncesAndSendMalformedRequests() throws Exception {
        int rounds = Integer.getInteger("hostile.rounds", 1);
        List<Origin> calm = new ArrayList<>();
        List<Origin> attacked = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            calm.add(origin("hostile-calm-" + round, 100));
            attacked.add(origin("hostile-attacked-" + round, 100));
        }
        List<String> options = new ArrayList<>(List.of("--device-limit", Integer.toString(DEVICE_LIMIT)));
        for (Origin origin : calm.subList(1, calm.size())) {
            options.addAll(List.of("--trust", trust(origin.issuerKey())));
        }
        for (Origin origin : attacked) {
            options.addAll(List.of("--trust", trust(origin.issuerKey())));
        }
        try (ServerProcess server = serverFor(calm.get(0), "server", options)) {
            ProcessHandle serverJvm = server.serverJvm();
            long heapLimit = maxHeapBytes(serverJvm);
            java.util.Map<Origin, Long> backedUp = new java.util.HashMap<>();
            for (Origin origin : calm) {
                backedUp.put(origin, backUp(origin, server));
            }
            for (Origin origin : attacked) {
                backedUp.put(origin, backUp(origin, server));
            }

            List<Timing> calmMillis = new ArrayList<>();
            List<Double> calmKeys;
            try (KeysProbe probe = new KeysProbe(server.url())) {
                for (Origin origin : calm) {
                    calmMillis.addAll(restoreRound(origin, server, backedUp.get(origin)));
                }
                calmKeys = probe.millis();
            }

            List<Timing> attackedMillis = new ArrayList<>();
            List<Double> attackedKeys;
            AtomicLong heapUsed = new AtomicLong();
            int port = URI.create(server.url()).getPort();
            try (Attackers attackers = new Attackers(port, STALLED_UPLOADS)) {
                Thread heapWatch = watchHeap(serverJvm, heapUsed);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (attackers.stalledOpened.get() < STALLED_UPLOADS && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(attackers.stalledOpened.get() >= STALLED_UPLOADS, "stalled uploads held: " + attackers.stalledOpened.get());
                try (KeysProbe probe = new KeysProbe(server.url())) {
                    for (Origin origin : attacked) {
                        attackedMillis.addAll(restoreRound(origin, server, backedUp.get(origin)));
                    }
                    attackedKeys = probe.millis();
                }
                heapWatch.interrupt();
                heapWatch.join();
                System.out.printf(Locale.ROOT, "attackers: %d stalled uploads opened (%d held at once), %d nonces issued, %d refused with 429,"
                        + " %d malformed requests answered%n", attackers.stalledOpened.get(), STALLED_UPLOADS, attackers.noncesIssued.get(),
                        attackers.noncesRefused.get(), attackers.malformedAnswered.get());
                assertTrue(attackers.noncesRefused.get() > 0, "the nonce flood was limited");
                assertTrue(attackers.malformedAnswered.get() > 0, "malformed requests were answered");
            }
            assertTrue(serverJvm.isAlive(), "the server runs on");
            System.out.printf(Locale.ROOT, "good devices' restores through the server, %d devices a round, %d round(s):%n", DEVICES_PER_ROUND, rounds);
            print("without attackers", calmMillis);
            print("with " + STALLED_UPLOADS + " stalled uploads, a nonce flood and malformed requests", attackedMillis);
            System.out.printf(Locale.ROOT, "a good device's GET /lms/v1/keys meanwhile: without attackers median %.1f ms, 99th %.1f ms (%d requests);"
                    + " with them median %.1f ms, 99th %.1f ms (%d requests)%n", percentile(calmKeys, 50), percentile(calmKeys, 99), calmKeys.size(),
                    percentile(attackedKeys, 50), percentile(attackedKeys, 99), attackedKeys.size());
            System.out.printf(Locale.ROOT, "server heap under attack: at most %d MiB used of its %d MiB limit%n", heapUsed.get() >> 20,
                    heapLimit >> 20);
            assertTrue(heapLimit <= 512L << 20, "the launcher limits the server's heap: " + (heapLimit >> 20) + " MiB");
            assertTrue(heapUsed.get() > 0 && heapUsed.get() < heapLimit, "heap used " + heapUsed.get() + " of " + heapLimit);
            List<String> console = server.output();
            assertTrue(console.stream().noneMatch(line -> line.contains("Exception") || line.startsWith("\tat ")),
                    "no stack trace on the server's console: " + console);
        }
    }

    /**
     * One good device's restore: the whole process (a JVM and a framework that start, then the
     * restore), and the restore's own time as its report gives it.
     */
    private record Timing(double processMillis, double restoreMillis) {
    }

    /**
     * A good device's quickest request, {@code GET /lms/v1/keys}, every 100 ms from 127.0.0.1 while a
     * phase runs: how long each took to be answered (each must be answered 200).
     */
    private static final class KeysProbe implements AutoCloseable {

        private final List<Double> millis = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;

        KeysProbe(String serverUrl) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();
            java.net.http.HttpRequest keys = java.net.http.HttpRequest.newBuilder(URI.create(serverUrl).resolve("/lms/v1/keys"))
                    .timeout(java.time.Duration.ofSeconds(60)).GET().build();
            thread = new Thread(() -> {
                try {
                    while (running) {
                        long started = System.nanoTime();
                        int status = http.send(keys, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                        millis.add((System.nanoTime() - started) / 1e6);
                        assertEquals(200, status);
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Throwable e) {
                    failure = e;
                }
            }, "keys-probe");
            thread.setDaemon(true);
            thread.start();
        }

        List<Double> millis() {
            return List.copyOf(millis);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(70_000);
            if (failure != null) {
                throw new AssertionError("a good request failed", failure);
            }
        }
    }

    private static void print(String when, List<Timing> timings) {
        List<Double> process = timings.stream().map(Timing::processMillis).toList();
        List<Double> restore = timings.stream().map(Timing::restoreMillis).toList();
        System.out.printf(Locale.ROOT, "  %s: restore median %.0f ms, 99th percentile %.0f ms (whole process: median %.0f ms, 99th %.0f ms)%n",
                when, percentile(restore, 50), percentile(restore, 99), percentile(process, 50), percentile(process, 99));
    }

    /** {@value #DEVICES_PER_ROUND} new devices restore the origin's backup at once: exactly the limit get every license. */
    private List<Timing> restoreRound(Origin origin, ServerProcess server, long backedUp) throws Exception {
        ExecutorService devices = Executors.newFixedThreadPool(DEVICES_PER_ROUND);
        try {
            List<Future<double[]>> runs = new ArrayList<>();
            for (int device = 0; device < DEVICES_PER_ROUND; device++) {
                Path home = origin.home("device-" + device);
                runs.add(devices.submit(() -> {
                    long started = System.nanoTime();
                    LauncherProcess.Result result = run(home, server.hostOptions(), "restore", origin.backup(), "--rebind");
                    double millis = (System.nanoTime() - started) / 1e6;
                    double restoreMillis = 1000 * Double.parseDouble(result.lines().stream().map(RESTORE_TIME::matcher)
                            .filter(Matcher::find).findFirst().orElseThrow(() -> new AssertionError("no restore time in " + result.lines()))
                            .group(1));
                    if (result.exitCode() == 0) {
                        assertEquals(backedUp, restored(result), result.lines()::toString);
                        return new double[] {millis, restoreMillis, 1};
                    }
                    assertRefusedEntirely(result);
                    return new double[] {millis, restoreMillis, 0};
                }));
            }
            List<Timing> millis = new ArrayList<>();
            int restoredDevices = 0;
            for (Future<double[]> run : runs) {
                double[] outcome = run.get(RUN_PATIENCE.toSeconds(), TimeUnit.SECONDS);
                millis.add(new Timing(outcome[0], outcome[1]));
                restoredDevices += (int) outcome[2];
            }
            assertEquals(DEVICE_LIMIT, restoredDevices, "the device limit is exact");
            return millis;
        } finally {
            devices.shutdownNow();
        }
    }

    /** Samples the server JVM's used heap every 500 ms, keeping the most seen. */
    private static Thread watchHeap(ProcessHandle serverJvm, AtomicLong most) {
        Thread watch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Matcher used = HEAP_USED.matcher(jcmd(serverJvm, "GC.heap_info"));
                    if (used.find()) {
                        long bytes = Long.parseLong(used.group(1)) << 10;
                        most.accumulateAndGet(bytes, Math::max);
                    }
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, "heap-watch");
        watch.setDaemon(true);
        watch.start();
        return watch;
    }

    private static long maxHeapBytes(ProcessHandle serverJvm) throws IOException, InterruptedException {
        Matcher max = MAX_HEAP.matcher(jcmd(serverJvm, "VM.flags"));
        assertTrue(max.find(), "the server JVM's flags name its heap limit");
        return Long.parseLong(max.group(1));
    }

    private static String jcmd(ProcessHandle jvm, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(jvm.pid()),
                command).redirectErrorStream(true).start();
        try (InputStream in = process.getInputStream()) {
            String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output;
        }
    }

    private static double percentile(List<Double> values, int percent) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
