package org.licensebackup.store.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.licensebackup.store.NumberedLicenses.license;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * The store's files stay within twice the bytes of the licenses they hold, whatever the order and
 * mix of writes: random-order puts in one transaction (the way the demo and the issuer write; the
 * MVStore store reached 15 to 53 times here), deletes spread over the key space, re-puts in small
 * transactions, a restore in key order. Each phase ends with the store closed, and the files
 * measured as a user would find them.
 */
class StoreCompactnessTest {

    private static final int LICENSES = 40_000;
    private static final double MOST_BYTES_PER_LICENSE_BYTE = 2.0;

    @TempDir
    Path folder;

    private final Random random = new Random(11);

    @Test
    void theFilesStayWithinTwiceTheLicensesBytesAfterAnyMixOfWrites() throws IOException {
        Path file = folder.resolve("licenses.db");
        List<Long> all = new ArrayList<>();
        for (long n = 0; n < LICENSES; n++) {
            all.add(n);
        }
        Collections.shuffle(all, random);

        write(file, all, List.of(), LICENSES);
        check(file, "random-order puts, one transaction");

        List<Long> deleted = new ArrayList<>(all.subList(0, LICENSES / 2));
        write(file, List.of(), deleted, LICENSES / 8);
        check(file, "half deleted at random, 4 transactions");

        Collections.shuffle(deleted, random);
        write(file, deleted.subList(0, LICENSES / 4), List.of(), 100);
        check(file, "a quarter put again, in random order, 100 a transaction");

        List<Long> most = new ArrayList<>(all.subList(LICENSES / 2, LICENSES));
        most.addAll(deleted.subList(0, LICENSES / 4));
        write(file, List.of(), most.subList(0, most.size() * 9 / 10), 1_000);
        check(file, "nine tenths deleted, 1,000 a transaction");

        List<Long> restore = new ArrayList<>(all);
        restore.sort(Comparator.comparing(n -> license(n).keyId()));
        write(file, restore, List.of(), LICENSES);
        check(file, "a restore of all, in key order, one transaction");
    }

    private static void write(Path file, List<Long> puts, List<Long> deletes, int perTransaction) {
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(file, 1)) {
            for (int from = 0; from < Math.max(puts.size(), deletes.size()); from += perTransaction) {
                try (StoreTransaction transaction = store.begin()) {
                    transaction.put(puts.subList(Math.min(from, puts.size()), Math.min(from + perTransaction, puts.size()))
                            .stream().map(n -> license(n)).toList());
                    List<KeyId> keyIds = deletes.subList(Math.min(from, deletes.size()),
                            Math.min(from + perTransaction, deletes.size())).stream().map(n -> license(n).keyId()).toList();
                    transaction.delete(keyIds);
                    transaction.commit();
                }
            }
        }
    }

    private static void check(Path file, String phase) throws IOException {
        long licenseBytes;
        long count;
        try (EmbeddedLicenseStore store = EmbeddedLicenseStore.open(file, 1); Stream<License> licenses = store.licenses()) {
            count = store.count();
            licenseBytes = licenses.mapToLong(license -> LicenseCodec.encode(license).length).sum();
        }
        long fileBytes = StoreBenchmark.storeBytes(file);
        double ratio = (double) fileBytes / licenseBytes;
        System.out.printf("compactness, %s: %,d licenses, %,d bytes of licenses, %,d bytes of files (%.2fx)%n",
                phase, count, licenseBytes, fileBytes, ratio);
        assertTrue(ratio <= MOST_BYTES_PER_LICENSE_BYTE, phase + ": " + fileBytes + " bytes of files for "
                + licenseBytes + " bytes of licenses");
    }
}
