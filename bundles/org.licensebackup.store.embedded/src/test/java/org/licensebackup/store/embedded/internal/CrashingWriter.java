package org.licensebackup.store.embedded.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.store.NumberedLicenses;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * The process that {@link CrashTrials} kills: it opens the store, prints {@value #READY}, then
 * commits numbered transactions until it is killed, while another thread reads the whole store
 * again and again (the way a backup reads it). With {@code read-only}, it only reads.
 *
 * <p>Transaction {@code t} puts licenses {@code t*B .. t*B+B-1} and deletes the odd-numbered ones
 * of transaction {@code t-1}: after any number {@code T} of whole transactions the store holds
 * exactly the even-numbered licenses of transactions before {@code T-1} and all of {@code T-1},
 * which {@link #expectedAfter(long)} tells, so half a transaction shows.
 */
public final class CrashingWriter {

    static final String READY = "ready";
    static final int LICENSES_PER_TRANSACTION = 100;

    private CrashingWriter() {
    }

    /** Arguments: the store's file, {@code write} or {@code read-only}. */
    public static void main(String[] arguments) throws Exception {
        Path file = Path.of(arguments[0]);
        boolean writes = arguments[1].equals("write");
        try (EmbeddedLicenseStore store = CrashTrials.open(file)) {
            long next = transactionsIn(store);
            Thread reader = new Thread(() -> readForever(store), "reader");
            reader.setDaemon(true);
            reader.start();
            System.out.println(READY);
            System.out.flush();
            while (writes) {
                commitTransaction(store, next++);
            }
            reader.join();
        }
    }

    private static void readForever(EmbeddedLicenseStore store) {
        while (true) {
            try (Stream<License> licenses = store.licenses()) {
                licenses.forEach(license -> { });
            }
        }
    }

    static void commitTransaction(EmbeddedLicenseStore store, long transaction) {
        List<License> puts = new ArrayList<>();
        List<KeyId> deletes = new ArrayList<>();
        for (int i = 0; i < LICENSES_PER_TRANSACTION; i++) {
            puts.add(NumberedLicenses.license(transaction * LICENSES_PER_TRANSACTION + i));
            if (transaction > 0 && i % 2 == 1) {
                deletes.add(NumberedLicenses.keyId((transaction - 1) * LICENSES_PER_TRANSACTION + i));
            }
        }
        try (StoreTransaction writing = store.begin()) {
            writing.put(puts);
            writing.delete(deletes);
            writing.commit();
        }
    }

    /** How many transactions the store holds: one more than the highest transaction of any of its licenses. */
    static long transactionsIn(EmbeddedLicenseStore store) {
        try (Stream<License> licenses = store.licenses()) {
            return licenses.mapToLong(NumberedLicenses::numberOf).max().orElse(-LICENSES_PER_TRANSACTION)
                    / LICENSES_PER_TRANSACTION + 1;
        }
    }

    /** The numbers of the licenses the store holds after {@code transactions} whole transactions, ascending. */
    static long[] expectedAfter(long transactions) {
        if (transactions == 0) {
            return new long[0];
        }
        int kept = (int) ((transactions - 1) * (LICENSES_PER_TRANSACTION / 2) + LICENSES_PER_TRANSACTION);
        long[] numbers = new long[kept];
        int at = 0;
        for (long t = 0; t < transactions - 1; t++) {
            for (int i = 0; i < LICENSES_PER_TRANSACTION; i += 2) {
                numbers[at++] = t * LICENSES_PER_TRANSACTION + i;
            }
        }
        for (int i = 0; i < LICENSES_PER_TRANSACTION; i++) {
            numbers[at++] = (transactions - 1) * LICENSES_PER_TRANSACTION + i;
        }
        return numbers;
    }
}
