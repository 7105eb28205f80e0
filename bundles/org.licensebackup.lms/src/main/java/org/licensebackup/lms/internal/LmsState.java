package org.licensebackup.lms.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.MetaType;
import org.h2.mvstore.type.ObjectDataType;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;

/**
 * The embedded license management service's state in one MVStore file: its own key pairs, made on
 * first open and kept, and for each license the unique devices it has been bound to. Bindings are
 * written in MVStore transactions, so a session's uncommitted bindings live in the store, not on the
 * heap, and a crash loses them as if the session had been closed without commit.
 *
 * <p>The bindings are keyed by the 16 key-ID bytes in MVStore's own order for them, the order in
 * which the embedded license store enumerates licenses and so the order of a backup: a big restore
 * then appends to the map's B-tree instead of rewriting pages all over it (measured for 1,000,000
 * licenses: about 20 s and a 300 MB file in key order, against hours and gigabytes in random order).
 */
final class LmsState implements AutoCloseable {

    private static final String SERVICE_KEYS_MAP = "serviceKeys";
    private static final String AGREEMENT_PRIVATE_KEY = "x25519.private";
    private static final String SIGNING_PRIVATE_KEY = "ed25519.private";
    /** From key-ID bytes to the {@linkplain #encode(Set) encoded} set of devices the license is on. */
    private static final String BINDINGS_MAP = "bindings";
    /**
     * MVStore writes dirty pages once their estimated size passes about 19 times this many KiB: 512
     * KiB keeps that near 10 MiB of heap, so a million-license session fits a 64 MiB heap beside
     * the license store's own.
     */
    private static final int AUTO_COMMIT_BUFFER_KB = 512;
    /** Bindings are read and written in key order, so a small page cache serves them. */
    private static final int CACHE_SIZE_MB = 4;
    /** How long a session waits for another one that is binding the same license to end. */
    private static final int LOCK_TIMEOUT_MILLIS = 10_000;

    private final Path path;
    private final MVStore store;
    private final TransactionStore transactions;
    private final RawKeyPair agreementKeys;
    private final RawKeyPair signingKeys;

    private LmsState(Path path, MVStore store) {
        this.path = path;
        this.store = store;
        MVMap<String, byte[]> serviceKeys = store.openMap(SERVICE_KEYS_MAP);
        this.agreementKeys = KeyAgreement.fromPrivateKey(
                serviceKeys.computeIfAbsent(AGREEMENT_PRIVATE_KEY, name -> KeyAgreement.generate().privateKey()));
        this.signingKeys = Signatures.fromPrivateKey(
                serviceKeys.computeIfAbsent(SIGNING_PRIVATE_KEY, name -> Signatures.generate().privateKey()));
        this.transactions = new TransactionStore(store,
                new MetaType<>(null, store.backgroundExceptionHandler), new ObjectDataType(), LOCK_TIMEOUT_MILLIS);
        transactions.init();
        // A session cut off by a crash never committed: its bindings must not count.
        transactions.endLeftoverTransactions();
        persist();
    }

    /**
     * Opens the state file, creating it (owner-only where the file system allows) and the service's
     * keys if it does not exist.
     *
     * @throws IllegalStateException when the file cannot be opened (locked by another process, corrupt)
     */
    static LmsState open(Path path) {
        Path absolute = path.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + absolute, e);
        }
        MVStore store;
        try {
            store = new MVStore.Builder()
                    .fileName(absolute.toString())
                    .cacheSize(CACHE_SIZE_MB)
                    .autoCommitBufferSize(AUTO_COMMIT_BUFFER_KB)
                    .open();
        } catch (MVStoreException e) {
            throw new IllegalStateException("cannot open the license management service's state " + absolute, e);
        }
        try {
            restrictToOwner(absolute);
            return new LmsState(absolute, store);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // The platform's own access control (ACLs) is all there is.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict " + file + " to its owner", e);
        }
    }

    Path path() {
        return path;
    }

    /** The X25519 key pair that backups' file keys are wrapped for. */
    RawKeyPair agreementKeys() {
        return agreementKeys;
    }

    /** The Ed25519 key pair that signs re-bound licenses. */
    RawKeyPair signingKeys() {
        return signingKeys;
    }

    /** How many unique devices {@code keyId} is bound to, as committed. */
    int committedDeviceCount(KeyId keyId) {
        Transaction reader = transactions.begin();
        try {
            return decode(openBindings(reader).get(keyId.bytes())).size();
        } finally {
            reader.rollback();
        }
    }

    /** Starts recording bindings that count only once committed. */
    PendingBindings begin() {
        return new PendingBindings(transactions.begin());
    }

    private static TransactionMap<Object, byte[]> openBindings(Transaction transaction) {
        return transaction.openMap(BINDINGS_MAP, new ObjectDataType(), ByteArrayDataType.INSTANCE);
    }

    /** A set of device IDs as a count and each ID in modified UTF-8 ({@link DataOutputStream#writeUTF}). */
    private static byte[] encode(Set<String> devices) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 48 * devices.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(devices.size());
            for (String device : devices) {
                out.writeUTF(device);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Set<String> decode(byte[] encoded) {
        Set<String> devices = new HashSet<>();
        if (encoded == null) {
            return devices;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            for (int count = in.readInt(); count > 0; count--) {
                devices.add(in.readUTF());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the license management service's state holds a damaged device set", e);
        }
        return devices;
    }

    private void persist() {
        store.commit();
        store.sync();
    }

    @Override
    public void close() {
        transactions.close();
        store.close();
    }

    /** One session's bindings: visible to it at once, to everyone else after {@link #commit()}. */
    final class PendingBindings {

        private final Transaction transaction;
        /** Keys are byte arrays, typed Object because MVStore's built-in type for them is ObjectDataType. */
        private final TransactionMap<Object, byte[]> bindings;

        private PendingBindings(Transaction transaction) {
            this.transaction = transaction;
            this.bindings = openBindings(transaction);
        }

        /**
         * Changes the set of devices {@code keyId} is bound to: {@code change} gets the set as
         * committed plus this session's changes, and returns the new one or throws. The license's
         * entry stays locked against other sessions until this one ends, so that two restores of the
         * same license cannot both count against what neither has yet committed: the second waits.
         *
         * @throws IllegalStateException when another session holds the license for longer than the lock timeout
         */
        void update(KeyId keyId, UnaryOperator<Set<String>> change) {
            byte[] key = keyId.bytes();
            while (true) {
                byte[] current = lock(key, keyId);
                Set<String> devices = decode(current);
                Set<String> changed = change.apply(new HashSet<>(devices));
                if (changed.equals(devices)) {
                    return;
                }
                if (current != null) {
                    bindings.put(key, encode(changed));
                    return;
                }
                // A license with no entry yet cannot be locked: insert only if no one else has since.
                if (bindings.putIfAbsent(key, encode(changed)) == null) {
                    return;
                }
            }
        }

        private byte[] lock(byte[] key, KeyId keyId) {
            try {
                return bindings.lock(key);
            } catch (MVStoreException e) {
                throw new IllegalStateException("license " + keyId + " is being restored by another session", e);
            }
        }

        /** Makes the bindings count, durably. */
        void commit() {
            transaction.commit();
            persist();
        }

        void discard() {
            transaction.rollback();
        }
    }
}
