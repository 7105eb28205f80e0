package org.licensebackup.lms.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;

/**
 * The embedded license management service's state in one MVStore file: its own key pairs, made on
 * first open and kept, and for each license the unique devices it has been bound to. Bindings are
 * written in MVStore transactions, so a session's uncommitted bindings live in the store, not on the
 * heap, and a crash loses them as if the session had been closed without commit.
 */
final class LmsState implements AutoCloseable {

    private static final String SERVICE_KEYS_MAP = "serviceKeys";
    private static final String AGREEMENT_PRIVATE_KEY = "x25519.private";
    private static final String SIGNING_PRIVATE_KEY = "ed25519.private";
    /** Keys are {@code <key ID in base64> <device ID>}: a key ID's bindings are one contiguous range. */
    private static final String BINDINGS_MAP = "bindings";
    /** Base64 of a 16-byte key ID is 24 characters and never holds a space: the prefix is unambiguous. */
    private static final char KEY_ID_SEPARATOR = ' ';

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
        this.transactions = new TransactionStore(store);
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
            store = new MVStore.Builder().fileName(absolute.toString()).open();
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
            return devices(reader.openMap(BINDINGS_MAP), keyId).size();
        } finally {
            reader.rollback();
        }
    }

    /** Starts recording bindings that count only once committed. */
    PendingBindings begin() {
        return new PendingBindings(transactions.begin());
    }

    private static Set<String> devices(TransactionMap<String, Long> bindings, KeyId keyId) {
        String prefix = keyId.toString() + KEY_ID_SEPARATOR;
        Set<String> devices = new HashSet<>();
        Iterator<String> keys = bindings.keyIterator(prefix);
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.startsWith(prefix)) {
                break;
            }
            devices.add(key.substring(prefix.length()));
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
        private final TransactionMap<String, Long> bindings;

        private PendingBindings(Transaction transaction) {
            this.transaction = transaction;
            this.bindings = transaction.openMap(BINDINGS_MAP);
        }

        /** The devices {@code keyId} is bound to: committed, and recorded by this session. */
        Set<String> devices(KeyId keyId) {
            return LmsState.devices(bindings, keyId);
        }

        /** Records that {@code keyId} is bound to {@code deviceId}; a device already recorded keeps its first time. */
        void add(KeyId keyId, String deviceId, Instant boundAt) {
            bindings.putIfAbsent(keyId.toString() + KEY_ID_SEPARATOR + deviceId, boundAt.toEpochMilli());
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
