package org.licensebackup.store.embedded.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.store.NumberedLicenses;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * Prints figures, asserts none: the time of a key-ordered bulk write (as a restore writes) and of
 * a full scan (as a backup reads), and the file's size per license after writes in key order and in
 * random order (as the demo and the issuer write), each in one transaction.
 *
 * <p>Arguments: a folder, a license count; the engine is the system property {@code crash.engine}
 * ({@code sqlite}, the default).
 */
public final class StoreBenchmark {

    private static final int BATCH = 2048;

    private StoreBenchmark() {
    }

    public static void main(String[] arguments) throws IOException {
        Path folder = Path.of(arguments[0]);
        int count = Integer.parseInt(arguments[1]);
        String engine = System.getProperty("crash.engine", "sqlite");
        long[] inKeyOrder = LongStream.range(0, count).boxed()
                .sorted(Comparator.comparing(NumberedLicenses::keyId)).mapToLong(Long::longValue).toArray();
        long[] inRandomOrder = LongStream.range(0, count).toArray();
        shuffle(inRandomOrder, new Random(1));

        Path ordered = folder.resolve(engine + "-ordered.db");
        long writeNanos = write(ordered, inKeyOrder);
        long licenseBytes = LongStream.range(0, count).map(n -> LicenseCodec.encode(NumberedLicenses.license(n)).length).sum();
        long scanNanos = scan(ordered, count);
        Path random = folder.resolve(engine + "-random.db");
        long randomWriteNanos = write(random, inRandomOrder);
        System.out.printf("%s, %,d licenses (%,d bytes encoded, %.0f a license)%n", engine, count, licenseBytes,
                (double) licenseBytes / count);
        System.out.printf("  key-ordered bulk write, one transaction: %.1f s (%,.0f licenses/s); file %,d bytes (%.2fx)%n",
                writeNanos / 1e9, count / (writeNanos / 1e9), storeBytes(ordered), (double) storeBytes(ordered) / licenseBytes);
        System.out.printf("  scan of all: %.1f s (%,.0f licenses/s)%n", scanNanos / 1e9, count / (scanNanos / 1e9));
        System.out.printf("  random-order write, one transaction: %.1f s; file %,d bytes (%.2fx)%n",
                randomWriteNanos / 1e9, storeBytes(random), (double) storeBytes(random) / licenseBytes);
    }

    private static long write(Path file, long[] numbers) {
        long start = System.nanoTime();
        try (EmbeddedLicenseStore store = CrashTrials.open(file); StoreTransaction transaction = store.begin()) {
            List<License> batch = new ArrayList<>(BATCH);
            for (long number : numbers) {
                batch.add(NumberedLicenses.license(number));
                if (batch.size() == BATCH) {
                    transaction.put(batch);
                    batch.clear();
                }
            }
            transaction.put(batch);
            transaction.commit();
        }
        return System.nanoTime() - start;
    }

    private static long scan(Path file, int expected) {
        long start = System.nanoTime();
        AtomicLong seen = new AtomicLong();
        try (EmbeddedLicenseStore store = CrashTrials.open(file); Stream<License> licenses = store.licenses()) {
            licenses.forEach(license -> seen.incrementAndGet());
        }
        if (seen.get() != expected) {
            throw new IllegalStateException("scanned " + seen + " licenses, wrote " + expected);
        }
        return System.nanoTime() - start;
    }

    /** The store's file and any WAL beside it, once closed. */
    static long storeBytes(Path file) throws IOException {
        long bytes = 0;
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path part = file.resolveSibling(file.getFileName() + suffix);
            bytes += Files.exists(part) ? Files.size(part) : 0;
        }
        return bytes;
    }

    private static void shuffle(long[] numbers, Random random) {
        for (int i = numbers.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long swap = numbers[i];
            numbers[i] = numbers[j];
            numbers[j] = swap;
        }
    }
}
