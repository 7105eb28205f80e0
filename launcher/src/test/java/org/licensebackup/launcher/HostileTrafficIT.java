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

            List<Double> calmMillis = new ArrayList<>();
            for (Origin origin : calm) {
                calmMillis.addAll(restoreRound(origin, server, backedUp.get(origin)));
            }

            List<Double> attackedMillis = new ArrayList<>();
            AtomicLong heapUsed = new AtomicLong();
            int port = URI.create(server.url()).getPort();
            try (Attackers attackers = new Attackers(port, STALLED_UPLOADS)) {
                Thread heapWatch = watchHeap(serverJvm, heapUsed);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (attackers.stalledOpened.get() < STALLED_UPLOADS && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(attackers.stalledOpened.get() >= STALLED_UPLOADS, "stalled uploads held: " + attackers.stalledOpened.get());
                for (Origin origin : attacked) {
                    attackedMillis.addAll(restoreRound(origin, server, backedUp.get(origin)));
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
            System.out.printf(Locale.ROOT, "  without attackers: median %.0f ms, 99th percentile %.0f ms%n", percentile(calmMillis, 50),
                    percentile(calmMillis, 99));
            System.out.printf(Locale.ROOT, "  with %d stalled uploads, a nonce flood and malformed requests: median %.0f ms, 99th percentile %.0f ms%n",
                    STALLED_UPLOADS, percentile(attackedMillis, 50), percentile(attackedMillis, 99));
            System.out.printf(Locale.ROOT, "server heap under attack: at most %d MiB used of its %d MiB limit%n", heapUsed.get() >> 20,
                    heapLimit >> 20);
            assertTrue(heapLimit <= 512L << 20, "the launcher limits the server's heap: " + (heapLimit >> 20) + " MiB");
            assertTrue(heapUsed.get() > 0 && heapUsed.get() < heapLimit, "heap used " + heapUsed.get() + " of " + heapLimit);
            List<String> console = server.output();
            assertTrue(console.stream().noneMatch(line -> line.contains("Exception") || line.startsWith("\tat ")),
                    "no stack trace on the server's console: " + console);
        }
    }

    /** {@value #DEVICES_PER_ROUND} new devices restore the origin's backup at once: exactly the limit get every license. */
    private List<Double> restoreRound(Origin origin, ServerProcess server, long backedUp) throws Exception {
        ExecutorService devices = Executors.newFixedThreadPool(DEVICES_PER_ROUND);
        try {
            List<Future<double[]>> runs = new ArrayList<>();
            for (int device = 0; device < DEVICES_PER_ROUND; device++) {
                Path home = origin.home("device-" + device);
                runs.add(devices.submit(() -> {
                    long started = System.nanoTime();
                    LauncherProcess.Result result = run(home, server.hostOptions(), "restore", origin.backup(), "--rebind");
                    double millis = (System.nanoTime() - started) / 1e6;
                    if (result.exitCode() == 0) {
                        assertEquals(backedUp, restored(result), result.lines()::toString);
                        return new double[] {millis, 1};
                    }
                    assertRefusedEntirely(result);
                    return new double[] {millis, 0};
                }));
            }
            List<Double> millis = new ArrayList<>();
            int restoredDevices = 0;
            for (Future<double[]> run : runs) {
                double[] outcome = run.get(RUN_PATIENCE.toSeconds(), TimeUnit.SECONDS);
                millis.add(outcome[0]);
                restoredDevices += (int) outcome[1];
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
