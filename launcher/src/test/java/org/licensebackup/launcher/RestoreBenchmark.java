package org.licensebackup.launcher;

import static org.licensebackup.launcher.BenchmarkFigures.seconds;
import static org.licensebackup.launcher.BenchmarkFigures.took;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * Backs up N licenses on one host and restores them on a new one through a license server on the
 * same machine, each a process of the launcher jar as users run them, and measures, in the same run,
 * what the targets compare against: for the restore, checking the restored licenses' Ed25519
 * signatures on all cores plus the embedded store's bulk write of them; for the backup, writing the
 * same number of bytes durably (write, then force). Prints the figures; asserts nothing about time.
 *
 * <p>{@code mvn -B -q verify -pl launcher -am -DskipTests -Pbenchmark -Dbenchmark.licenses=1000000}
 */
public final class RestoreBenchmark {

    private static final int BATCH = 1024;

    private final LauncherProcess launcher;
    private final PrintStream out;

    RestoreBenchmark(LauncherProcess launcher, PrintStream out) {
        this.launcher = launcher;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int licenses = args.length > 0 ? Integer.parseInt(args[0].replace(",", "").replace("_", "")) : 10_000;
        Path folder = Path.of(args.length > 1 ? args[1] : "target/benchmark").toAbsolutePath();
        Path jar = Path.of(args.length > 2 ? args[2] : "target/license-backup.jar").toAbsolutePath();
        // no JVM options: as an operator starts the server and a user the launcher
        LauncherProcess launcher = new LauncherProcess(Path.of(System.getProperty("java.home"), "bin", "java"), jar, List.of());
        new RestoreBenchmark(launcher, System.out).run(licenses, folder);
    }

    void run(int count, Path folder) throws IOException, InterruptedException {
        Main.deleteRecursively(folder);
        Path homeA = folder.resolve("home-a");
        Path homeB = folder.resolve("home-b");
        Path issuerKey = folder.resolve("issuer.key");
        Path backup = folder.resolve("backup");
        out.printf(Locale.ROOT, "benchmark: %,d licenses, %d cores, in %s%n", count, Runtime.getRuntime().availableProcessors(), folder);
        succeed(homeA, List.of(), "issue", Integer.toString(count), "--issuer", issuerKey.toString());
        LauncherProcess.Result backedUp;
        LauncherProcess.Result restored;
        try (ServerProcess server = ServerProcess.start(launcher, folder.resolve("server"),
                List.of("--trust", "@" + issuerKey + ".pub"), out, "  [server] ", BenchmarkFigures.PATIENCE)) {
            backedUp = succeed(homeA, server.hostOptions(), "backup", backup.toString());
            restored = succeed(homeB, server.hostOptions(), "restore", backup.toString(), "--rebind");
        }
        Duration backupTime = took(backedUp);
        Duration restoreTime = took(restored);
        long backupBytes = Files.size(backup.resolve("licenses.lbk"));

        Duration durableWrite = durableWrite(folder.resolve("durable-write"), backupBytes);
        List<License> restoredLicenses = readAll(homeB.resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME));
        Duration signatures = checkSignatures(restoredLicenses);
        Duration bulkWrite = bulkWrite(folder.resolve("bulk-write").resolve(EmbeddedLicenseStore.DEFAULT_FILE_NAME), restoredLicenses);

        out.println();
        out.printf(Locale.ROOT, "backup:  %,d licenses, %,d bytes in %.2f s; durable write of the same bytes %.2f s; ratio %.2f (target at most 2)%n",
                restoredLicenses.size(), backupBytes, seconds(backupTime), seconds(durableWrite),
                seconds(backupTime) / seconds(durableWrite));
        out.printf(Locale.ROOT, "restore on a new device through the server: %,d licenses in %.2f s (%,.0f licenses/s)%n",
                restoredLicenses.size(), seconds(restoreTime), restoredLicenses.size() / seconds(restoreTime));
        out.printf(Locale.ROOT, "  Ed25519 checks of their signatures on all cores %.2f s + the store's bulk write of them %.2f s = %.2f s;"
                + " ratio %.2f (target at most 2)%n", seconds(signatures), seconds(bulkWrite),
                seconds(signatures) + seconds(bulkWrite), seconds(restoreTime) / (seconds(signatures) + seconds(bulkWrite)));
    }

    private LauncherProcess.Result succeed(Path home, List<String> options, String... command) throws IOException {
        return BenchmarkFigures.succeed(launcher, home, options, List.of(command), out);
    }


    private static Duration durableWrite(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        new java.util.Random(1).nextBytes(chunk.array());
        Files.createDirectories(file.getParent());
        long started = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < bytes; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - written));
                written += channel.write(chunk);
            }
            channel.force(true);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        Files.delete(file);
        return took;
    }

    private static List<License> readAll(Path storeFile) {
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(storeFile, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
                Stream<License> licenses = store.licenses()) {
            return licenses.toList();
        }
    }

    private static Duration checkSignatures(List<License> licenses) {
        long started = System.nanoTime();
        long bad = licenses.parallelStream()
                .filter(license -> !Signatures.verify(license.signerKey(), license.signedBytes(), license.signature()))
                .count();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (bad > 0) {
            throw new IllegalStateException(bad + " restored licenses do not verify");
        }
        return took;
    }

    private static Duration bulkWrite(Path storeFile, List<License> licenses) throws IOException {
        Main.deleteRecursively(storeFile.getParent());
        long started = System.nanoTime();
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(storeFile, EmbeddedLicenseStore.DEFAULT_CACHE_SIZE_MB);
                StoreTransaction transaction = store.begin()) {
            for (int from = 0; from < licenses.size(); from += BATCH) {
                transaction.put(licenses.subList(from, Math.min(licenses.size(), from + BATCH)));
            }
            transaction.commit();
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

}
