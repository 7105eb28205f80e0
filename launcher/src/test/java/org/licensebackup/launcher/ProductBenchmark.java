package org.licensebackup.launcher;

import static org.licensebackup.launcher.BenchmarkFigures.sameDeviceEmptyStore;
import static org.licensebackup.launcher.BenchmarkFigures.seconds;
import static org.licensebackup.launcher.BenchmarkFigures.took;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;
import org.licensebackup.testing.postgres.PostgresProcess;

/**
 * The whole product at N licenses, every host process of the launcher jar with a 64 MiB heap, as
 * users run it: fills a store ({@code issue}), backs it up, verifies the backup, restores it on the
 * same device (an empty store) and on a new device through a license server on the same machine,
 * and measures from a JVM of its own how long the bundle set takes to be ACTIVE and how long
 * {@code backup()}, {@code verify()} and {@code restore()} take to return. In the same run it
 * measures what the targets compare with: a durable write (write, then force) and a read of the
 * backup's own bytes, the store's scan, the issuers' signature checks alone on all cores and the
 * store's bulk write of the restored licenses, and {@code tar | zstd | age} of the same licenses as
 * files. Writes every figure to {@code N.json} in the output folder, redraws {@code plot.png}
 * (seconds per 1,000 licenses against N) from every {@code N.json} there, and prints a table.
 * Asserts nothing about time: it measures.
 *
 * <p>{@code mvn -B -q verify -pl launcher -am -DskipTests -Pbenchmark -Dbenchmark.licenses=1000000}
 */
public final class ProductBenchmark {

    private static final int BATCH = 2048;
    private static final List<String> HOST_HEAP = List.of("-Xmx64m");
    /** Room for every new device the benchmark restores on (the default limit, 4, is what a content operator might set). */
    private static final int NEW_DEVICE_LIMIT = 16;
    private static final Pattern PROBE = Pattern.compile("^probe: (\\S+) ([0-9.]+)");

    private final Path java;
    private final Path jar;
    private final PrintStream out;
    private final boolean flightRecording;
    private final int runs;

    ProductBenchmark(Path java, Path jar, PrintStream out, boolean flightRecording, int runs) {
        this.java = java;
        this.jar = jar;
        this.out = out;
        this.flightRecording = flightRecording;
        this.runs = runs;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkFigures.Arguments arguments = BenchmarkFigures.Arguments.parse(args, "target/benchmark");
        boolean jfr = args.length > 3 && Boolean.parseBoolean(args[3]);
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        new ProductBenchmark(arguments.java(), arguments.jar(), System.out, jfr, runs).run(arguments.licenses(), arguments.folder());
    }

    void run(int count, Path folder) throws Exception {
        Path work = folder.resolve("work-" + count);
        Main.deleteRecursively(work);
        Files.createDirectories(work);
        Path homeA = work.resolve("home-a");
        Path issuerKey = work.resolve("issuer.key");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("licenses", count);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("load_at_start", MeasuredProcess.load());
        json.put("java", System.getProperty("java.version"));
        json.put("host_jvm_options", String.join(" ", HOST_HEAP));
        out.printf(Locale.ROOT, "benchmark: %,d licenses, %d cores, hosts with %s, in %s%n", count,
                Runtime.getRuntime().availableProcessors(), HOST_HEAP, work);

        Map<String, Object> phases = new LinkedHashMap<>();
        json.put("phases", phases);
        json.put("runs_per_phase", runs);
        Map<String, Double> took = new LinkedHashMap<>();
        MeasuredProcess.Watched fill = phase(work, "fill", homeA, List.of(), "issue", Integer.toString(count), "--issuer", issuerKey.toString());
        PhaseRuns filled = new PhaseRuns();
        filled.add(new PhaseRuns.Run(fill, seconds(took(fill.result())), count, Map.of()));
        record(phases, took, "fill", filled);
        Path backup = work.resolve("backup-1");
        List<String> trusting = List.of("--trust", "@" + issuerKey + ".pub", "--device-limit", Integer.toString(NEW_DEVICE_LIMIT));
        LauncherProcess server = new LauncherProcess(java, jar, List.of());
        Map<String, Object> servers = new LinkedHashMap<>();
        json.put("server", servers);
        try (ServerProcess running = ServerProcess.start(server, work.resolve("server"), trusting, out, "  [server] ",
                BenchmarkFigures.PATIENCE)) {
            PhaseRuns backups = repeat(run -> {
                MeasuredProcess.Watched watched = phase(work, "backup-" + run, homeA, running.hostOptions(), "backup",
                        work.resolve("backup-" + run).toString());
                return new PhaseRuns.Run(watched, seconds(took(watched.result())),
                        watched.result().count(LauncherProcess.BACKED_UP).orElseThrow(), Map.of());
            });
            record(phases, took, "backup", backups);
            long backedUpCount = backups.first().licenses();
            record(phases, took, "verify", repeat(run -> counted(phase(work, "verify-" + run, homeA, running.hostOptions(), "verify",
                    backup.toString()), backedUpCount)));
            record(phases, took, "restore_same_device", repeat(run -> {
                Path home = sameDeviceEmptyStore(homeA, work.resolve("home-c-" + run));
                MeasuredProcess.Watched watched = phase(work, "restore_same_device-" + run, home, List.of(), "restore", backup.toString());
                return counted(watched, watched.result().count(LauncherProcess.RESTORED).orElseThrow());
            }));
            List<Path> newDevices = new ArrayList<>();
            PhaseRuns newDevice = repeat(run -> {
                Path home = work.resolve("home-b-" + run);
                newDevices.add(home);
                return rebound(work, "restore_new_device-" + run, home, running, backup);
            });
            record(phases, took, "restore_new_device", newDevice);
            servers.put("h2_ledger", serverCost(newDevice, exactlyOnEach(work.resolve("home-c-1"), newDevices)));
            // while the server runs: home A uses it, and without it each backup would retry it first
            List<Map<String, Object>> probes = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                // a JVM's first call is one figure per probe; the medians of later calls need only the first probe's hundred
                probes.add(probe(homeA, backup, work.resolve("probe-backups"), work.resolve("probe-" + run + ".gc.log"),
                        run == 1 ? 100 : 5));
            }
            json.put("latency", medians(probes));
        }
        PhaseRuns onPostgres = new PhaseRuns();
        List<Path> postgresDevices = new ArrayList<>();
        try (PostgresProcess postgres = PostgresProcess.start()) {
            List<String> onLedger = new ArrayList<>(trusting);
            onLedger.addAll(List.of("--database", postgres.createDatabase("lms"), "--database-user", PostgresProcess.USER));
            try (ServerProcess first = ServerProcess.start(server, work.resolve("server-pg-1"), onLedger, out, "  [server-pg-1] ",
                    BenchmarkFigures.PATIENCE);
                    ServerProcess second = ServerProcess.start(server, work.resolve("server-pg-2"), onLedger, out, "  [server-pg-2] ",
                            BenchmarkFigures.PATIENCE)) {
                List<ServerProcess> both = List.of(first, second);
                // the file key of a backup is wrapped for the server it was made with: this ledger's key
                Path backupForPostgres = work.resolve("backup-postgres");
                phase(work, "backup-postgres", homeA, first.hostOptions(), "backup", backupForPostgres.toString());
                for (int run = 1; run <= runs; run++) {
                    Path home = work.resolve("home-p-" + run);
                    postgresDevices.add(home);
                    // the devices alternate between the two servers: the ledger, not a server, keeps the count
                    onPostgres.add(rebound(work, "restore_new_device_postgres-" + run, home, both.get((run - 1) % 2), backupForPostgres,
                            both, postgres.serverPid()));
                }
            }
        }
        record(phases, took, "restore_new_device_postgres", onPostgres);
        servers.put("postgres_ledger_two_servers", serverCost(onPostgres, exactlyOnEach(work.resolve("home-c-1"), postgresDevices)));

        Path backupFile = backup.resolve("licenses.lbk");
        long backupBytes = Files.size(backupFile);
        Map<String, Object> limits = new LinkedHashMap<>();
        json.put("limits", limits);
        json.put("backup_bytes", backupBytes);
        double[] durable = durableWriteAndRead(backupFile, work.resolve("durable-copy"));
        limits.put("durable_write_seconds", durable[0]);
        limits.put("read_seconds", durable[1]);
        Path storeFile = homeA.resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME);
        json.put("store_bytes", Files.size(storeFile));
        List<double[]> scans = new ArrayList<>();
        List<Double> encryptedCopies = new ArrayList<>();
        List<Double> restics = new ArrayList<>();
        Map<String, Object> restic = Map.of();
        for (int run = 1; run <= runs; run++) {
            scans.add(scan(storeFile));
            encryptedCopies.add(EncryptedCopies.aesGcmCopy(storeFile, work.resolve("encrypted-copy")));
            restic = EncryptedCopies.restic(storeFile, work.resolve("restic"), out);
            restics.add((Double) restic.get("backup_seconds"));
        }
        double[] scanned = {median(scans.stream().map(scan -> scan[0]).toList()), median(scans.stream().map(scan -> scan[1]).toList())};
        double encryptedCopy = median(encryptedCopies);
        double resticBackup = median(restics);
        limits.put("store_scan_seconds", scanned[0]);
        limits.put("encrypted_copy_seconds", encryptedCopy);
        limits.put("restic_backup_seconds", resticBackup);
        json.put("restic", restic);
        double[] checksAndWrite = signaturesAndBulkWrite(work.resolve("home-c-1").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME),
                work.resolve("bulk-write").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME));
        limits.put("signature_checks_seconds", checksAndWrite[0]);
        limits.put("bulk_write_seconds", checksAndWrite[1]);
        limits.put("licenses_checked_and_written", (long) checksAndWrite[2]);
        limits.put("store_scan_cpu_seconds", scanned[1]);
        limits.put("signature_checks_cpu_seconds", checksAndWrite[3]);
        limits.put("bulk_write_cpu_seconds", checksAndWrite[4]);
        Map<String, Object> tar = TarZstdAge.run(work.resolve("home-c-1").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME),
                work.resolve("as-files"), out);
        json.put("tar_zstd_age", tar);

        double checks = checksAndWrite[0] + checksAndWrite[1];
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("backup_to_durable_write", took.get("backup") / durable[0]);
        // what the store itself allows: a backup cannot be quicker than reading the store once and writing the file
        ratios.put("backup_to_store_scan_and_durable_write", took.get("backup") / (scanned[0] + durable[0]));
        ratios.put("restore_same_device_to_checks_and_bulk_write", took.get("restore_same_device") / checks);
        ratios.put("restore_new_device_to_checks_and_bulk_write", took.get("restore_new_device") / checks);
        ratios.put("restore_new_device_postgres_to_checks_and_bulk_write", took.get("restore_new_device_postgres") / checks);
        ratios.put("verify_to_signature_checks", took.get("verify") / checksAndWrite[0]);
        ratios.put("backup_to_restic", took.get("backup") / resticBackup);
        ratios.put("backup_to_encrypted_copy", took.get("backup") / encryptedCopy);
        ratios.put("backup_to_tar_zstd_age", took.get("backup") / (double) tar.get("backup_seconds"));
        ratios.put("restore_same_device_to_tar_zstd_age", took.get("restore_same_device") / (double) tar.get("restore_seconds"));
        json.put("ratios", ratios);
        // On a shared machine the load changes between a phase and its limits, minutes apart: CPU
        // time stretches far less. A host's CPU includes its JVM's and framework's start (a few seconds).
        Map<String, Object> cpuRatios = new LinkedHashMap<>();
        cpuRatios.put("backup_to_store_scan", cpu(phases, "backup") / scanned[1]);
        cpuRatios.put("restore_same_device_to_checks_and_bulk_write", cpu(phases, "restore_same_device") / (checksAndWrite[3] + checksAndWrite[4]));
        cpuRatios.put("verify_to_signature_checks", cpu(phases, "verify") / checksAndWrite[3]);
        json.put("cpu_ratios", cpuRatios);
        json.put("load_at_end", MeasuredProcess.load());
        json.put("noisy_phases", phases.entrySet().stream().filter(phase -> (Boolean) ((Map<?, ?>) phase.getValue()).get("noisy"))
                .map(Map.Entry::getKey).toList().toString());

        Map<String, Object> per1000 = new LinkedHashMap<>();
        took.forEach((phase, seconds) -> per1000.put(phase, seconds * 1000 / count));
        per1000.put("tar_zstd_age_backup", (double) tar.get("backup_seconds") * 1000 / count);
        per1000.put("tar_zstd_age_restore", (double) tar.get("restore_seconds") * 1000 / count);
        json.put(BenchmarkReport.PER_1000, per1000);

        Path jsonFile = folder.resolve(count + ".json");
        Files.writeString(jsonFile, BenchmarkReport.json(json));
        Path plot = BenchmarkReport.plot(folder);
        out.println();
        BenchmarkReport.table(json, out);
        out.println("figures: " + jsonFile + "; plot: " + plot);
    }

    @SuppressWarnings("unchecked")
    private static double cpu(Map<String, Object> phases, String phase) {
        return (Double) ((Map<String, Object>) phases.get(phase)).get("process_cpu_seconds");
    }

    private MeasuredProcess.Watched phase(Path work, String name, Path home, List<String> options, String... command)
            throws IOException {
        List<String> jvm = new ArrayList<>(HOST_HEAP);
        if (flightRecording) {
            jvm.add("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile");
        }
        return MeasuredProcess.run(new LauncherProcess(java, jar, jvm), home, work.resolve(name + ".gc.log"), options,
                List.of(command), out);
    }

    private static void record(Map<String, Object> phases, Map<String, Double> took, String name, PhaseRuns runs) {
        took.put(name, runs.medianSeconds());
        phases.put(name, runs.figures(Runtime.getRuntime().availableProcessors()));
    }

    /** One run of a phase, given its number from 1. */
    private interface Once {
        PhaseRuns.Run run(int number) throws Exception;
    }

    private PhaseRuns repeat(Once once) throws Exception {
        PhaseRuns done = new PhaseRuns();
        for (int run = 1; run <= runs; run++) {
            done.add(once.run(run));
        }
        return done;
    }

    private static PhaseRuns.Run counted(MeasuredProcess.Watched watched, long licenses) throws IOException {
        return new PhaseRuns.Run(watched, seconds(took(watched.result())), licenses, Map.of());
    }

    /**
     * A new device's restore of {@code backup} through {@code through}, with the CPU seconds that the
     * JVMs of {@code measured} (every server that may serve it) spent meanwhile, from {@code /proc}.
     */
    private PhaseRuns.Run rebound(Path work, String name, Path home, ServerProcess through, Path backup, List<ServerProcess> measured,
            long databasePid) throws IOException {
        double before = serversCpu(measured);
        double databaseBefore = databasePid > 0 ? MeasuredProcess.cpuSecondsWithChildren(databasePid) : 0;
        MeasuredProcess.Watched watched = phase(work, name, home, through.hostOptions(), "restore", backup.toString(), "--rebind");
        double serverCpu = serversCpu(measured) - before;
        double databaseCpu = databasePid > 0 ? MeasuredProcess.cpuSecondsWithChildren(databasePid) - databaseBefore : 0;
        long restored = watched.result().count(LauncherProcess.RESTORED).orElseThrow();
        // the ledger's work is the server's cost too: in the server's JVM for H2, in PostgreSQL's processes otherwise
        return new PhaseRuns.Run(watched, seconds(took(watched.result())), restored,
                Map.of("server_cpu_seconds", serverCpu, "database_cpu_seconds", databaseCpu,
                        "licenses_per_server_cpu_second", restored / (serverCpu + databaseCpu)));
    }

    private PhaseRuns.Run rebound(Path work, String name, Path home, ServerProcess through, Path backup) throws IOException {
        return rebound(work, name, home, through, backup, List.of(through), 0);
    }

    private static double serversCpu(List<ServerProcess> servers) {
        return servers.stream().mapToDouble(server -> MeasuredProcess.cpuSeconds(server.serverJvm().pid())).sum();
    }

    /** The server's cost per re-bound license, as medians over the runs, beside the exactness of the counts. */
    private static Map<String, Object> serverCost(PhaseRuns restores, Map<String, Object> counts) {
        Map<String, Object> cost = new LinkedHashMap<>();
        double server = restores.median(run -> (Double) run.extra().get("server_cpu_seconds"));
        double database = restores.median(run -> (Double) run.extra().get("database_cpu_seconds"));
        double cpu = restores.median(run -> (Double) run.extra().get("server_cpu_seconds") + (Double) run.extra().get("database_cpu_seconds"));
        cost.put("server_cpu_seconds", server);
        cost.put("database_cpu_seconds", database);
        cost.put("licenses_per_server_cpu_second", restores.first().licenses() / cpu);
        cost.put("server_cpu_ms_per_license", cpu * 1000 / restores.first().licenses());
        cost.putAll(counts);
        return cost;
    }

    /**
     * Checks that every license the same-device restore wrote is on each new device exactly once, and
     * no other: the ledger counted each re-binding once, whichever server took it.
     *
     * @throws IllegalStateException otherwise: a benchmark of a wrong count measures nothing
     */
    private static Map<String, Object> exactlyOnEach(Path reference, List<Path> devices) {
        Map<KeyId, Integer> holders = new HashMap<>();
        forEachKeyId(reference, keyId -> holders.put(keyId, 0));
        for (Path device : devices) {
            forEachKeyId(device, keyId -> {
                if (holders.computeIfPresent(keyId, (id, held) -> held + 1) == null) {
                    throw new IllegalStateException(device + " holds " + keyId + ", which the backup does not");
                }
            });
        }
        Map<Integer, Long> byCount = new TreeMap<>();
        holders.values().forEach(held -> byCount.merge(held, 1L, Long::sum));
        if (!byCount.keySet().equals(Set.of(devices.size()))) {
            throw new IllegalStateException("licenses by the number of new devices that hold them: " + byCount);
        }
        return Map.of("new_devices", devices.size(), "licenses_on_every_new_device_exactly_once", holders.size());
    }

    private static void forEachKeyId(Path home, Consumer<KeyId> action) {
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(home.resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME),
                EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
                Stream<License> licenses = store.licenses()) {
            licenses.forEach(license -> action.accept(license.keyId()));
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * What each JVM measures once (its start, its first calls): the median over the probes; the
     * medians and maxima of many calls: the first probe's, which made a hundred. Each probe's own
     * figures besides.
     */
    private static Map<String, Object> medians(List<Map<String, Object>> probes) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (String name : probes.get(0).keySet()) {
            if (probes.get(0).get(name) instanceof Double first) {
                boolean oncePerJvm = !name.endsWith("_call_median_ms") && !name.endsWith("_call_max_ms");
                figures.put(name, oncePerJvm ? median(probes.stream().map(probe -> (Double) probe.get(name)).toList()) : first);
            }
        }
        for (int i = 0; i < probes.size(); i++) {
            figures.put("probe_" + (i + 1), probes.get(i));
        }
        return figures;
    }

    /** Runs {@link LatencyProbe} on a home in a JVM with the hosts' heap; its figures, by name. */
    private Map<String, Object> probe(Path home, Path backup, Path scratch, Path gcLog, int calls) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(HOST_HEAP);
        command.add("-Xlog:gc:file=" + gcLog);
        command.addAll(List.of("-cp", jar + File.pathSeparator + Path.of(ProductBenchmark.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()), LatencyProbe.class.getName(), home.toString(), backup.toString(),
                scratch.toString(), Integer.toString(calls)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        LauncherProcess.copyLines(process, out, "  [probe] ", lines);
        if (!process.waitFor(BenchmarkFigures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("the latency probe failed: " + lines);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher matcher = PROBE.matcher(line);
            if (matcher.find()) {
                figures.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        }
        figures.put("calls_each", calls);
        figures.put("heap", MeasuredProcess.Heap.fromGcLog(gcLog).figures());
        return figures;
    }

    /**
     * Copies the backup's own bytes to a new file, timing only the writes and the force (not the reads
     * of the source), then reads the copy back, timed: {write seconds, read seconds}. Its own bytes,
     * not zeros or a repeated buffer, so that no layer below can make light of them; the read may
     * come from the page cache, as the restores' reads of the backup may.
     */
    private static double[] durableWriteAndRead(Path source, Path copy) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        long writing = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel target = FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            while (in.read(chunk.clear()) > 0) {
                chunk.flip();
                long started = System.nanoTime();
                while (chunk.hasRemaining()) {
                    target.write(chunk);
                }
                writing += System.nanoTime() - started;
            }
            long started = System.nanoTime();
            target.force(true);
            writing += System.nanoTime() - started;
        }
        long started = System.nanoTime();
        try (FileChannel in = FileChannel.open(copy, StandardOpenOption.READ)) {
            while (in.read(chunk.clear()) > 0) {
                // reading is the work
            }
        }
        double reading = (System.nanoTime() - started) / 1e9;
        Files.delete(copy);
        return new double[] {writing / 1e9, reading};
    }

    /** The store's own scan: every license read and decoded, nothing else. {seconds, CPU seconds} */
    private static double[] scan(Path storeFile) {
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(storeFile, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB)) {
            Spent spent = new Spent();
            spent.start();
            try (Stream<License> licenses = store.licenses()) {
                licenses.forEach(license -> { });
            }
            spent.stop();
            return new double[] {spent.seconds(), spent.cpuSeconds()};
        }
    }

    /**
     * Wall time and the CPU time of this JVM's threads, summed over the intervals between start and
     * stop: the CPU figures of the limits, which a busy machine stretches far less than their wall time.
     */
    static final class Spent {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private long nanos;
        private long cpuNanos;
        private long startedAt;
        private long cpuAtStart;

        void start() {
            startedAt = System.nanoTime();
            cpuAtStart = threadsCpu();
        }

        void stop() {
            cpuNanos += threadsCpu() - cpuAtStart;
            nanos += System.nanoTime() - startedAt;
        }

        double seconds() {
            return nanos / 1e9;
        }

        double cpuSeconds() {
            return cpuNanos / 1e9;
        }

        /** Every live thread's CPU time (the pool's workers live on between batches). */
        private static long threadsCpu() {
            long sum = 0;
            for (long id : THREADS.getAllThreadIds()) {
                sum += Math.max(0, THREADS.getThreadCpuTime(id));
            }
            return sum;
        }
    }

    /**
     * The two costs a restore cannot avoid, timed apart, batch by batch, over the licenses a restore
     * wrote (read untimed from its store): the issuers' Ed25519 checks on all cores, and an empty
     * store's bulk write of them in one transaction. {checks seconds, write seconds, licenses}.
     */
    private static double[] signaturesAndBulkWrite(Path restoredStore, Path emptyStore) throws IOException {
        Main.deleteRecursively(emptyStore.getParent());
        Spent checking = new Spent();
        Spent writing = new Spent();
        long licenses = 0;
        try (EmbeddedLicenseStore source = EmbeddedLicenseStore.open(restoredStore, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
                EmbeddedLicenseStore target = EmbeddedLicenseStore.open(emptyStore, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
                Stream<License> stream = source.licenses()) {
            writing.start();
            StoreTransaction transaction = target.begin();
            writing.stop();
            Iterator<License> all = stream.iterator();
            while (all.hasNext()) {
                List<License> batch = new ArrayList<>(BATCH);
                while (all.hasNext() && batch.size() < BATCH) {
                    batch.add(all.next());
                }
                checking.start();
                long bad = batch.parallelStream()
                        .filter(license -> !Signatures.verify(license.signerKey(), license.signedBytes(), license.signature()))
                        .count();
                checking.stop();
                if (bad > 0) {
                    throw new IllegalStateException(bad + " restored licenses do not verify");
                }
                writing.start();
                transaction.put(batch);
                writing.stop();
                licenses += batch.size();
            }
            writing.start();
            transaction.commit();
            transaction.close();
            writing.stop();
        }
        return new double[] {checking.seconds(), writing.seconds(), licenses, checking.cpuSeconds(), writing.cpuSeconds()};
    }

    /** The same licenses as files, backed up and restored with {@code tar | zstd | age}: what a user could do by hand. */
    static final class TarZstdAge {

        private TarZstdAge() {
        }

        static Map<String, Object> run(Path store, Path folder, PrintStream out) throws IOException, InterruptedException {
            Main.deleteRecursively(folder);
            Path files = folder.resolve("licenses");
            long count = 0;
            long bytes = 0;
            HexFormat hex = HexFormat.of();
            try (EmbeddedLicenseStore source = EmbeddedLicenseStore.open(store, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
                    Stream<License> licenses = source.licenses()) {
                for (Iterator<License> all = licenses.iterator(); all.hasNext(); ) {
                    License license = all.next();
                    String name = hex.formatHex(license.keyId().bytes());
                    Path file = files.resolve(name.substring(0, 2)).resolve(name + ".lic");
                    Files.createDirectories(file.getParent());
                    byte[] encoded = LicenseCodec.encode(license);
                    Files.write(file, encoded);
                    count++;
                    bytes += encoded.length;
                }
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("licenses", count);
            figures.put("license_bytes", bytes);
            if (!available("age") || !available("zstd")) {
                out.println("tar | zstd | age: age or zstd is not installed; skipped");
                figures.put("skipped", "age or zstd not installed");
                figures.put("backup_seconds", Double.NaN);
                figures.put("restore_seconds", Double.NaN);
                return figures;
            }
            Path key = folder.resolve("age.key");
            shell("age-keygen -o '" + key + "' 2>/dev/null");
            String recipient = Files.readAllLines(key).stream().filter(line -> line.startsWith("# public key: "))
                    .findFirst().orElseThrow().substring("# public key: ".length());
            Path archive = folder.resolve("licenses.tar.zst.age");
            Path restored = folder.resolve("restored");
            Files.createDirectories(restored);
            // the archive forced to the disk, as the product's backup is; the extraction not, which only favours tar
            double backup = shell("tar -cf - -C '" + files + "' . | zstd -q -T0 | age -r " + recipient + " > '" + archive
                    + "' && sync '" + archive + "'");
            double restore = shell("age -d -i '" + key + "' '" + archive + "' | zstd -dq | tar -xf - -C '" + restored + "'");
            figures.put("archive_bytes", Files.size(archive));
            figures.put("backup_seconds", backup);
            figures.put("restore_seconds", restore);
            figures.put("note", "tar -c | zstd -T0 | age -r, then sync of the archive; age -d | zstd -d | tar -x without sync");
            Main.deleteRecursively(files);
            Main.deleteRecursively(restored);
            return figures;
        }

        private static boolean available(String tool) throws IOException, InterruptedException {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        }

        /** Runs a shell pipeline (with pipefail) to its end: its wall time in seconds. */
        private static double shell(String pipeline) throws IOException, InterruptedException {
            long started = System.nanoTime();
            Process process = new ProcessBuilder("bash", "-o", "pipefail", "-c", pipeline).redirectErrorStream(true).start();
            byte[] said;
            try (InputStream output = process.getInputStream()) {
                said = output.readAllBytes();
            }
            if (process.waitFor() != 0) {
                throw new IOException(pipeline + " failed: " + new String(said, StandardCharsets.UTF_8));
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }
}
