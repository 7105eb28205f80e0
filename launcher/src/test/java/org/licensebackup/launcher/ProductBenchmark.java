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
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

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
    private static final Pattern PROBE = Pattern.compile("^probe: (\\S+) ([0-9.]+)");

    private final Path java;
    private final Path jar;
    private final PrintStream out;
    private final boolean flightRecording;

    ProductBenchmark(Path java, Path jar, PrintStream out, boolean flightRecording) {
        this.java = java;
        this.jar = jar;
        this.out = out;
        this.flightRecording = flightRecording;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkFigures.Arguments arguments = BenchmarkFigures.Arguments.parse(args, "target/benchmark");
        boolean jfr = args.length > 3 && Boolean.parseBoolean(args[3]);
        new ProductBenchmark(arguments.java(), arguments.jar(), System.out, jfr).run(arguments.licenses(), arguments.folder());
    }

    void run(int count, Path folder) throws Exception {
        Path work = folder.resolve("work-" + count);
        Main.deleteRecursively(work);
        Files.createDirectories(work);
        Path homeA = work.resolve("home-a");
        Path homeB = work.resolve("home-b");
        Path issuerKey = work.resolve("issuer.key");
        Path backup = work.resolve("backup");
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
        Map<String, Double> took = new LinkedHashMap<>();
        MeasuredProcess.Watched fill = phase(work, "fill", homeA, List.of(), "issue", Integer.toString(count), "--issuer", issuerKey.toString());
        record(phases, took, "fill", fill, count);
        LauncherProcess server = new LauncherProcess(java, jar, List.of());
        try (ServerProcess running = ServerProcess.start(server, work.resolve("server"),
                List.of("--trust", "@" + issuerKey + ".pub"), out, "  [server] ", BenchmarkFigures.PATIENCE)) {
            MeasuredProcess.Watched backedUp = phase(work, "backup", homeA, running.hostOptions(), "backup", backup.toString());
            long backedUpCount = backedUp.result().count(LauncherProcess.BACKED_UP).orElseThrow();
            record(phases, took, "backup", backedUp, backedUpCount);
            MeasuredProcess.Watched verified = phase(work, "verify", homeA, running.hostOptions(), "verify", backup.toString());
            record(phases, took, "verify", verified, backedUpCount);
            Path homeC = sameDeviceEmptyStore(homeA, work.resolve("home-c"));
            MeasuredProcess.Watched sameDevice = phase(work, "restore_same_device", homeC, List.of(), "restore", backup.toString());
            record(phases, took, "restore_same_device", sameDevice, sameDevice.result().count(LauncherProcess.RESTORED).orElseThrow());
            MeasuredProcess.Watched newDevice = phase(work, "restore_new_device", homeB, running.hostOptions(), "restore",
                    backup.toString(), "--rebind");
            record(phases, took, "restore_new_device", newDevice, newDevice.result().count(LauncherProcess.RESTORED).orElseThrow());
            // while the server runs: home A uses it, and without it each backup would retry it first
            json.put("latency", probe(homeA, backup, work.resolve("probe-backups"), work.resolve("probe.gc.log")));
        }

        Path backupFile = backup.resolve("licenses.lbk");
        long backupBytes = Files.size(backupFile);
        Map<String, Object> limits = new LinkedHashMap<>();
        json.put("limits", limits);
        json.put("backup_bytes", backupBytes);
        double[] durable = durableWriteAndRead(backupFile, work.resolve("durable-copy"));
        limits.put("durable_write_seconds", durable[0]);
        limits.put("read_seconds", durable[1]);
        double[] scanned = scan(homeA.resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME));
        limits.put("store_scan_seconds", scanned[0]);
        double[] checksAndWrite = signaturesAndBulkWrite(work.resolve("home-c").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME),
                work.resolve("bulk-write").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME));
        limits.put("signature_checks_seconds", checksAndWrite[0]);
        limits.put("bulk_write_seconds", checksAndWrite[1]);
        limits.put("licenses_checked_and_written", (long) checksAndWrite[2]);
        limits.put("store_scan_cpu_seconds", scanned[1]);
        limits.put("signature_checks_cpu_seconds", checksAndWrite[3]);
        limits.put("bulk_write_cpu_seconds", checksAndWrite[4]);
        Map<String, Object> tar = TarZstdAge.run(work.resolve("home-c").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME),
                work.resolve("as-files"), out);
        json.put("tar_zstd_age", tar);

        double checks = checksAndWrite[0] + checksAndWrite[1];
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("backup_to_durable_write", took.get("backup") / durable[0]);
        // what the store itself allows: a backup cannot be quicker than reading the store once and writing the file
        ratios.put("backup_to_store_scan_and_durable_write", took.get("backup") / (scanned[0] + durable[0]));
        ratios.put("restore_same_device_to_checks_and_bulk_write", took.get("restore_same_device") / checks);
        ratios.put("restore_new_device_to_checks_and_bulk_write", took.get("restore_new_device") / checks);
        ratios.put("verify_to_signature_checks", took.get("verify") / checksAndWrite[0]);
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

    private static void record(Map<String, Object> phases, Map<String, Double> took, String name,
            MeasuredProcess.Watched watched, long items) throws IOException {
        double seconds = seconds(took(watched.result()));
        took.put(name, seconds);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", seconds);
        figures.put("licenses", items);
        figures.putAll(watched.figures());
        phases.put(name, figures);
    }

    /** Runs {@link LatencyProbe} on a home in a JVM with the hosts' heap; its figures, by name. */
    private Map<String, Object> probe(Path home, Path backup, Path scratch, Path gcLog) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(HOST_HEAP);
        command.add("-Xlog:gc:file=" + gcLog);
        command.addAll(List.of("-cp", jar + File.pathSeparator + Path.of(ProductBenchmark.class.getProtectionDomain()
                .getCodeSource().getLocation().toURI()), LatencyProbe.class.getName(), home.toString(), backup.toString(),
                scratch.toString(), "100"));
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
        figures.put("calls_each", 100);
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
