package org.licensebackup.store.embedded.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.MetaType;
import org.h2.mvstore.type.ObjectDataType;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.store.StoreException;

/**
 * Reads the licenses of a store file made by versions up to 0.1 (H2 MVStore 2.3, one transactional
 * map from key-ID bytes to {@link LicenseCodec} bytes), only so that {@link StoreMigration} can copy
 * them into the SQLite store. It reads what was committed: opening it finishes or rolls back the
 * transactions a crash interrupted, as those versions did at every open.
 */
final class LegacyMvStore implements AutoCloseable {

    /** The name the licenses' map had. */
    static final String MAP_NAME = "licenses";


    private final Path file;
    private final MVStore store;
    private final TransactionStore transactions;
    private final Transaction reader;
    private final TransactionMap<Object, byte[]> licenses;

    private LegacyMvStore(Path file, MVStore store, TransactionStore transactions, Transaction reader,
            TransactionMap<Object, byte[]> licenses) {
        this.file = file;
        this.store = store;
        this.transactions = transactions;
        this.reader = reader;
        this.licenses = licenses;
    }

    static LegacyMvStore open(Path file) {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).open();
        } catch (MVStoreException | IllegalStateException e) {
            throw unreadable(file, e);
        }
        try {
            TransactionStore transactions = new TransactionStore(store,
                    new MetaType<>(null, store.backgroundExceptionHandler), new ObjectDataType(), 0);
            transactions.init();
            transactions.endLeftoverTransactions();
            Transaction reader = transactions.begin();
            TransactionMap<Object, byte[]> licenses = reader.openMap(MAP_NAME, new ObjectDataType(), ByteArrayDataType.INSTANCE);
            return new LegacyMvStore(file, store, transactions, reader, licenses);
        } catch (MVStoreException | IllegalStateException | ClassCastException e) {
            store.closeImmediately();
            throw unreadable(file, e);
        }
    }

    private static StoreException unreadable(Path file, Exception e) {
        return new StoreException("cannot read the old license store " + file + " to move its licenses into the new"
                + " store: " + e.getMessage() + ". It is left as it is; to start with an empty store, move it aside"
                + " (keep it) and restore the licenses from the newest backup", e);
    }

    long count() {
        try {
            return licenses.sizeAsLong();
        } catch (MVStoreException | IllegalStateException e) {
            throw unreadable(file, e);
        }
    }

    /** Hands every license over in batches of at most {@code batchSize}, in key order. */
    void forEachBatch(int batchSize, Consumer<List<License>> batchConsumer) {
        List<License> batch = new ArrayList<>(batchSize);
        try {
            Iterator<Map.Entry<Object, byte[]>> entries = licenses.entryIterator(null, null);
            while (entries.hasNext()) {
                Map.Entry<Object, byte[]> entry = entries.next();
                batch.add(decode(entry.getKey(), entry.getValue()));
                if (batch.size() == batchSize) {
                    batchConsumer.accept(batch);
                    batch = new ArrayList<>(batchSize);
                }
            }
        } catch (MVStoreException | IllegalStateException e) {
            throw unreadable(file, e);
        }
        if (!batch.isEmpty()) {
            batchConsumer.accept(batch);
        }
    }

    private License decode(Object storedKey, byte[] value) {
        if (!(storedKey instanceof byte[] key)) {
            throw new StoreException("the old license store " + file + " holds a key that is not a key ID (" + storedKey
                    + "): it is left as it is; move it aside (keep it) and restore the licenses from the newest backup");
        }
        try {
            License license = LicenseCodec.decode(value);
            if (Arrays.equals(license.keyId().bytes(), key)) {
                return license;
            }
        } catch (MalformedLicenseException e) {
            // named below with its key ID, like a license stored under another key ID
        }
        throw new StoreException("the old license store " + file + " holds a damaged license under key ID "
                + Base64.getEncoder().encodeToString(key) + ": it is left as it is; move it aside (keep it) and"
                + " restore the licenses from the newest backup");
    }

    @Override
    public void close() {
        try {
            reader.rollback();
            transactions.close();
            store.close();
        } catch (MVStoreException | IllegalStateException e) {
            store.closeImmediately();
        }
    }
}
