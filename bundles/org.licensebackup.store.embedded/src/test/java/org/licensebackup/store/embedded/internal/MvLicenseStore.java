package org.licensebackup.store.embedded.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.MetaType;
import org.h2.mvstore.type.ObjectDataType;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;

/**
 * The embedded store of versions up to 0.1, on H2 MVStore, as it was (only this comment is new):
 * kept among the tests to make real old store files for the migration tests, and as the baseline
 * that {@link CrashTrials} and {@link StoreBenchmark} measure with {@code -Dcrash.engine=mvstore}.
 *
 * <p>One map from the 16 key-ID bytes to {@link LicenseCodec}
 * bytes, read and written only through MVStore transactions, whose uncommitted values and undo log
 * live in the store's pages (on disk once written), not on the heap.
 */
public final class MvLicenseStore implements EmbeddedLicenseStore {

    /** The map that holds the licenses. */
    static final String MAP_NAME = "licenses";

    /**
     * MVStore writes its dirty pages to the file once their estimated size passes about 19 times
     * this many KiB, and makes writers wait beyond a few times that: 512 KiB keeps that under about
     * 10 MiB of heap, so a large transaction fits in a 64 MiB heap beside everything else.
     */
    private static final int AUTO_COMMIT_BUFFER_KB = 512;

    /** How long a write waits for another transaction that changed the same license to end. */
    private static final int LOCK_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final MVStore store;
    private final TransactionStore transactions;
    /**
     * The map, bound to no transaction in particular: each use takes an instance for its own. Keys
     * are byte arrays, typed Object because MVStore's built-in type for them is ObjectDataType.
     */
    private final TransactionMap<Object, byte[]> licenses;
    private volatile boolean closed;

    private MvLicenseStore(Path file, MVStore store, TransactionStore transactions,
            TransactionMap<Object, byte[]> licenses) {
        this.file = file;
        this.store = store;
        this.transactions = transactions;
        this.licenses = licenses;
    }

    /** @see EmbeddedLicenseStore#open(Path, int) */
    public static MvLicenseStore open(Path file, int cacheSizeMb) {
        Objects.requireNonNull(file, "file");
        if (cacheSizeMb < 1) {
            throw new IllegalArgumentException("the cache size of the license store is at least 1 MiB, not " + cacheSizeMb);
        }
        Path absolute = file.toAbsolutePath();
        createOwnerOnly(absolute);
        MVStore store;
        try {
            store = new MVStore.Builder()
                    .fileName(absolute.toString())
                    .cacheSize(cacheSizeMb)
                    .autoCommitBufferSize(AUTO_COMMIT_BUFFER_KB)
                    .open();
        } catch (MVStoreException | IllegalStateException e) {
            throw new StoreException("cannot open the license store " + absolute + ": " + e.getMessage(), e);
        }
        try {
            TransactionStore transactions = new TransactionStore(store,
                    new MetaType<>(null, store.backgroundExceptionHandler), new ObjectDataType(), LOCK_TIMEOUT_MILLIS);
            transactions.init();
            // A crash leaves the transactions it interrupted in the file: finish the ones whose
            // commit had begun, roll back the others.
            transactions.endLeftoverTransactions();
            Transaction setup = transactions.begin();
            TransactionMap<Object, byte[]> licenses = setup.openMap(MAP_NAME, new ObjectDataType(), ByteArrayDataType.INSTANCE);
            setup.commit();
            store.commit();
            return new MvLicenseStore(absolute, store, transactions, licenses);
        } catch (MVStoreException | IllegalStateException | ClassCastException e) {
            store.closeImmediately();
            throw new StoreException("the license store " + absolute + " is not usable: " + e.getMessage(), e);
        }
    }

    private static void createOwnerOnly(Path file) {
        try {
            Path directory = file.getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            if (Files.getFileStore(directory == null ? file.getRoot() : directory).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException alreadyThere) {
            // an existing store keeps the permissions it has
        } catch (IOException e) {
            throw new StoreException("cannot create the license store " + file + ": " + e, e);
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public long count() {
        return reading("count the licenses", TransactionMap::sizeAsLong);
    }

    @Override
    public Optional<License> find(KeyId keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return reading("find a license", map -> find(map, keyId));
    }

    @Override
    public Stream<License> licenses() {
        Transaction reader = guarded("read the licenses", transactions::begin);
        try {
            Iterator<Map.Entry<Object, byte[]>> entries = guarded("read the licenses",
                    () -> licenses.getInstance(reader).entryIterator(null, null));
            Iterator<License> decoded = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return guarded("read the licenses", entries::hasNext);
                }

                @Override
                public License next() {
                    Map.Entry<Object, byte[]> entry = guarded("read the licenses", entries::next);
                    return decode(entry.getKey(), entry.getValue());
                }
            };
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(decoded,
                    Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false)
                    .onClose(() -> endReading(reader));
        } catch (RuntimeException e) {
            endReading(reader);
            throw e;
        }
    }

    @Override
    public StoreTransaction begin() {
        Transaction transaction = guarded("begin a transaction", transactions::begin);
        return new MvStoreTransaction(transaction, licenses.getInstance(transaction));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            transactions.close();
            store.close();
        } catch (MVStoreException | IllegalStateException e) {
            store.closeImmediately();
            throw new StoreException("the license store " + file + " did not close cleanly: " + e.getMessage(), e);
        }
    }

    private <T> T reading(String action, Function<TransactionMap<Object, byte[]>, T> read) {
        Transaction reader = guarded(action, transactions::begin);
        try {
            return guarded(action, () -> read.apply(licenses.getInstance(reader)));
        } finally {
            endReading(reader);
        }
    }

    private void endReading(Transaction reader) {
        if (!closed && reader.getStatus() == Transaction.STATUS_OPEN) {
            guarded("end a read", () -> {
                reader.commit();
                return null;
            });
        }
    }

    private Optional<License> find(TransactionMap<Object, byte[]> map, KeyId keyId) {
        byte[] key = keyId.bytes();
        byte[] value = map.get(key);
        return value == null ? Optional.empty() : Optional.of(decode(key, value));
    }

    private License decode(Object storedKey, byte[] value) {
        if (!(storedKey instanceof byte[] key)) {
            throw new StoreException("the license store " + file + " holds a key that is not a key ID: " + storedKey);
        }
        License license;
        try {
            license = LicenseCodec.decode(value);
        } catch (MalformedLicenseException e) {
            throw new StoreException("the license store " + file + " holds a license with key ID " + describe(key)
                    + " that does not decode: " + e.getMessage(), e);
        }
        if (!Arrays.equals(license.keyId().bytes(), key)) {
            throw new StoreException("the license store " + file + " holds under key ID " + describe(key)
                    + " a license with key ID " + license.keyId());
        }
        return license;
    }

    private static String describe(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Runs an MVStore call, turning its failures, and use after close, into {@link StoreException}. */
    private <T> T guarded(String action, Supplier<T> call) {
        if (closed) {
            throw new StoreException("cannot " + action + ": the license store " + file + " is closed");
        }
        try {
            return call.get();
        } catch (MVStoreException | IllegalStateException e) {
            String why = closed ? "the license store was closed meanwhile" : e.getMessage();
            throw new StoreException("cannot " + action + " in the license store " + file + ": " + why, e);
        }
    }

    private final class MvStoreTransaction implements StoreTransaction {

        private final Transaction transaction;
        private final TransactionMap<Object, byte[]> map;

        MvStoreTransaction(Transaction transaction, TransactionMap<Object, byte[]> map) {
            this.transaction = transaction;
            this.map = map;
        }

        @Override
        public Optional<License> find(KeyId keyId) {
            Objects.requireNonNull(keyId, "keyId");
            requireOpen("find a license");
            return guarded("find a license", () -> MvLicenseStore.this.find(map, keyId));
        }

        @Override
        public void put(Collection<License> batch) {
            Objects.requireNonNull(batch, "batch");
            requireOpen("put licenses");
            guarded("put licenses", () -> {
                for (License license : batch) {
                    map.put(license.keyId().bytes(), LicenseCodec.encode(license));
                }
                return null;
            });
        }

        @Override
        public void delete(Collection<KeyId> batch) {
            Objects.requireNonNull(batch, "batch");
            requireOpen("delete licenses");
            guarded("delete licenses", () -> {
                for (KeyId keyId : batch) {
                    map.remove(keyId.bytes());
                }
                return null;
            });
        }

        @Override
        public void commit() {
            requireOpen("commit");
            guarded("commit", () -> {
                transaction.commit();
                // The transaction is committed in memory; only a stored and synced version
                // makes it survive a crash.
                store.commit();
                store.sync();
                return null;
            });
        }

        @Override
        public void close() {
            if (transaction.getStatus() == Transaction.STATUS_CLOSED || closed) {
                // a closed store rolls back what it left open when it is opened again
                return;
            }
            guarded("roll back", () -> {
                transaction.rollback();
                return null;
            });
        }

        private void requireOpen(String action) {
            if (transaction.getStatus() != Transaction.STATUS_OPEN) {
                throw new StoreException("cannot " + action + ": the transaction has ended");
            }
        }
    }
}
