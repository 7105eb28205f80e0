package org.licensebackup.store.embedded.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store on SQLite in WAL mode: one table from the 16 key-ID bytes to
 * {@link LicenseCodec} bytes, clustered by key ID ({@code WITHOUT ROWID}), and a one-row table of
 * totals that triggers keep in step within each transaction, so that {@link #count()} and the
 * compaction check read one row instead of the whole store.
 *
 * <p>Each use takes a connection of its own from a small pool: a stream keeps its connection, and
 * with it a read transaction, until it is closed, which in WAL mode is a stable snapshot however
 * long it lasts while other connections commit. A {@link StoreTransaction} is a {@code BEGIN
 * IMMEDIATE} transaction on its own connection: writers take turns, readers never wait for them.
 */
public final class SqliteLicenseStore implements EmbeddedLicenseStore {

    /** Marks a SQLite file as a license store ({@code PRAGMA application_id}): "LBks". */
    static final int APPLICATION_ID = 0x4C426B73;
    /** The layout of the tables below ({@code PRAGMA user_version}). */
    static final int SCHEMA_VERSION = 1;

    /**
     * How long a writer waits for another writer (of this or another process) to end its
     * transaction, and a reader for a checkpoint that briefly holds the file: the same bound the
     * MVStore store had for a conflicting write.
     */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /** Connections kept open for reuse; more are opened when more threads read at once. */
    private static final int IDLE_CONNECTIONS_KEPT = 4;

    /**
     * The WAL file is cut back to this size once it is checkpointed: a million-license transaction
     * passes through the WAL, and should not leave hundreds of MiB behind.
     */
    private static final int WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

    /** How much of the file SQLite maps into memory to read it (a million licenses take about 370 MB). */
    private static final long MMAP_BYTES = 1L << 30;

    private static final String[] SCHEMA = {
        "CREATE TABLE licenses (key_id BLOB PRIMARY KEY NOT NULL, license BLOB NOT NULL) WITHOUT ROWID",
        "CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), license_count INTEGER NOT NULL,"
                + " license_bytes INTEGER NOT NULL)",
        "INSERT INTO totals VALUES (1, 0, 0)",
        "CREATE TRIGGER license_added AFTER INSERT ON licenses BEGIN UPDATE totals SET"
                + " license_count = license_count + 1, license_bytes = license_bytes + length(NEW.license); END",
        "CREATE TRIGGER license_replaced AFTER UPDATE ON licenses BEGIN UPDATE totals SET"
                + " license_bytes = license_bytes - length(OLD.license) + length(NEW.license); END",
        "CREATE TRIGGER license_deleted AFTER DELETE ON licenses BEGIN UPDATE totals SET"
                + " license_count = license_count - 1, license_bytes = license_bytes - length(OLD.license); END",
        "PRAGMA application_id = " + APPLICATION_ID,
        "PRAGMA user_version = " + SCHEMA_VERSION,
    };

    private static final String PUT = "INSERT INTO licenses (key_id, license) VALUES (?, ?)"
            + " ON CONFLICT (key_id) DO UPDATE SET license = excluded.license";
    private static final String DELETE = "DELETE FROM licenses WHERE key_id = ?";
    private static final String FIND = "SELECT license FROM licenses WHERE key_id = ?";
    private static final String ALL_IN_KEY_ORDER = "SELECT key_id, license FROM licenses ORDER BY key_id";

    private final Path file;
    private final int cacheSizeMb;
    private final StoreCompaction compaction;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    /**
     * Connections that a stream or a transaction holds: closing the store closes them too, which
     * rolls back a transaction left open, so that no write lock outlives the store.
     */
    private final Set<Connection> lent = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SqliteLicenseStore(Path file, int cacheSizeMb) {
        this.file = file;
        this.cacheSizeMb = cacheSizeMb;
        this.compaction = new StoreCompaction();
    }

    /**
     * Opens the SQLite store in {@code file}, which exists (empty for a new store), creating its
     * tables if it has none.
     */
    static SqliteLicenseStore open(Path file, int cacheSizeMb) {
        SqliteLicenseStore store = new SqliteLicenseStore(file, cacheSizeMb);
        Connection connection = store.connect();
        try {
            store.checkOrCreateSchema(connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw store.failure("open", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
        store.idle.push(connection);
        return store;
    }

    private void checkOrCreateSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int applicationId = intPragma(statement, "application_id");
            if (applicationId == APPLICATION_ID) {
                int version = intPragma(statement, "user_version");
                if (version != SCHEMA_VERSION) {
                    throw new StoreException("the license store " + file + " has layout version " + version
                            + ", which this version (" + SCHEMA_VERSION + ") does not know: it was made by another version"
                            + " of License Backup; open it with that version, or move it aside and restore the"
                            + " licenses from the newest backup");
                }
                return;
            }
            try (ResultSet tables = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                tables.next();
                if (applicationId != 0 || tables.getLong(1) != 0) {
                    throw new StoreException("the file " + file + " is a SQLite database of another application, not"
                            + " a license store: configure another path for the store, or move the file away");
                }
            }
            statement.execute("BEGIN IMMEDIATE");
            try {
                for (String step : SCHEMA) {
                    statement.execute(step);
                }
                statement.execute("COMMIT");
            } catch (SQLException e) {
                statement.execute("ROLLBACK");
                throw e;
            }
        }
    }

    private static int intPragma(Statement statement, String name) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA " + name)) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public long count() {
        return withConnection("count the licenses", connection -> {
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT license_count FROM totals")) {
                return result.next() ? result.getLong(1) : 0L;
            }
        });
    }

    @Override
    public Optional<License> find(KeyId keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return withConnection("find a license", connection -> find(connection, keyId));
    }

    private Optional<License> find(Connection connection, KeyId keyId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FIND)) {
            return find(statement, keyId);
        }
    }

    private Optional<License> find(PreparedStatement statement, KeyId keyId) throws SQLException {
        statement.setBytes(1, keyId.bytes());
        try (ResultSet result = statement.executeQuery()) {
            return result.next() ? Optional.of(decode(keyId.bytes(), result.getBytes(1))) : Optional.empty();
        }
    }

    @Override
    public Stream<License> licenses() {
        Connection connection = borrow("read the licenses");
        LicenseCursor cursor;
        try {
            cursor = new LicenseCursor(connection);
        } catch (SQLException e) {
            discard(connection);
            throw failure("read the licenses", e);
        }
        // ordered by key ID, but not SORTED: that would claim the licenses' natural order, which they have not
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(cursor,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false)
                .onClose(cursor::close);
    }

    @Override
    public StoreTransaction begin() {
        Connection connection = borrow("begin a transaction");
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            discard(connection);
            throw failure("begin a transaction", e);
        }
        return new SqliteStoreTransaction(connection);
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            closeQuietly(connection);
        }
        for (Connection connection : lent) {
            discard(connection);
        }
    }

    /** A connection from the pool, or a new one. */
    private Connection borrow(String action) {
        requireOpen(action);
        Connection connection = idle.poll();
        if (connection == null) {
            connection = connect();
        }
        lent.add(connection);
        if (closed) {
            // the store closed while this connection was taken: close() may have missed it
            discard(connection);
            requireOpen(action);
        }
        return connection;
    }

    /** Returns a connection that ended its work cleanly (no transaction open) to the pool. */
    private void giveBack(Connection connection) {
        lent.remove(connection);
        if (closed || idle.size() >= IDLE_CONNECTIONS_KEPT) {
            closeQuietly(connection);
        } else {
            idle.push(connection);
            if (closed && idle.remove(connection)) {
                // the store closed meanwhile and may have emptied the pool before the push
                closeQuietly(connection);
            }
        }
    }

    /** Closes a connection whose state is unknown after a failure: closing rolls back what it left open. */
    private void discard(Connection connection) {
        lent.remove(connection);
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to do with a connection that does not even close
        }
    }

    private Connection connect() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit is on the disk when it returns, also after a power loss (NORMAL in WAL
        // mode may lose the last commits then, though it never corrupts the file)
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalSizeLimit(WAL_SIZE_LIMIT_BYTES);
        // negative: KiB rather than pages
        config.setCacheSize(-cacheSizeMb * 1024);
        // reads through a memory map rather than a read() per page into SQLite's own cache: a backup's
        // scan of the whole store is most of its time; address space, not heap, and only what is read
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
        // temp_store stays FILE: the compaction's VACUUM builds its copy of the whole store in a
        // temporary database, which in MEMORY would take the store's size in RAM
        try {
            return config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw failure("open", e);
        }
    }

    private void requireOpen(String action) {
        if (closed) {
            throw new StoreException("cannot " + action + ": the license store " + file + " is closed");
        }
    }

    private interface ConnectionWork<T> {
        T on(Connection connection) throws SQLException;
    }

    private interface ParameterSetter<T> {
        void set(PreparedStatement statement, T item) throws SQLException;
    }

    /** Runs a read on a pooled connection in SQLite's own statement-long transaction. */
    private <T> T withConnection(String action, ConnectionWork<T> work) {
        Connection connection = borrow(action);
        T result;
        try {
            result = work.on(connection);
        } catch (SQLException e) {
            discard(connection);
            throw failure(action, e);
        } catch (RuntimeException e) {
            giveBack(connection);
            throw e;
        }
        giveBack(connection);
        return result;
    }

    private License decode(byte[] key, byte[] value) {
        License license;
        try {
            license = LicenseCodec.decode(value);
        } catch (MalformedLicenseException e) {
            throw new StoreException("the license store " + file + " holds a license with key ID " + describe(key)
                    + " that does not decode (" + e.getMessage() + "): delete it, or restore it from the newest backup", e);
        }
        if (!Arrays.equals(license.keyId().bytes(), key)) {
            throw new StoreException("the license store " + file + " holds under key ID " + describe(key)
                    + " a license with key ID " + license.keyId() + ": delete it, or restore it from the newest backup");
        }
        return license;
    }

    private static String describe(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** A SQLite failure as a {@link StoreException} that names the file and what to do. */
    StoreException failure(String action, SQLException e) {
        if (closed) {
            return new StoreException("cannot " + action + ": the license store " + file + " was closed meanwhile", e);
        }
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        // "cannot open the license store F: ...", "cannot commit in the license store F: ..."
        String what = "cannot " + action + (action.equals("open") ? " the license store " : " in the license store ") + file + ": ";
        if (code == null) {
            return new StoreException(what + e.getMessage(), e);
        }
        return switch (code.code & 0xff) {
            case 26 /* SQLITE_NOTADB */ -> new StoreException(what + "the file is not a license store (" + e.getMessage()
                    + "): move it aside (keep it: it may hold licenses backed up nowhere), then restore the newest backup", e);
            case 11 /* SQLITE_CORRUPT */ -> new StoreException(what + "the file is damaged (" + e.getMessage()
                    + "): move it aside (keep it: it may hold licenses backed up nowhere), then restore the newest backup", e);
            case 5, 6 /* SQLITE_BUSY, SQLITE_LOCKED */ -> new StoreException(what + "another transaction, of this or another"
                    + " process, held the store for longer than " + BUSY_TIMEOUT_MILLIS / 1000 + " s; try again once it ended", e);
            case 13 /* SQLITE_FULL */ -> new StoreException(what + "the disk is full: free some space and try again", e);
            case 8 /* SQLITE_READONLY */, 14 /* SQLITE_CANTOPEN */, 23 /* SQLITE_AUTH */ -> new StoreException(what
                    + e.getMessage() + ": check that the file and its folder exist and are writable by this user", e);
            default -> new StoreException(what + e.getMessage(), e);
        };
    }

    /**
     * The licenses in key order, one row at a time, inside a read transaction of its own: SQLite
     * steps through the B-tree, holding no more than the current row in memory.
     */
    private final class LicenseCursor implements Iterator<License> {

        private final Connection connection;
        private final Statement statement;
        private final ResultSet rows;
        private boolean ended;
        private Boolean hasRow;

        LicenseCursor(Connection connection) throws SQLException {
            this.connection = connection;
            statement = connection.createStatement();
            try {
                // the read transaction, and with it the snapshot, lasts until close(); the first
                // read (the query below) fixes which commits it sees
                statement.execute("BEGIN DEFERRED");
                rows = statement.executeQuery(ALL_IN_KEY_ORDER);
            } catch (SQLException e) {
                statement.close();
                throw e;
            }
        }

        @Override
        public boolean hasNext() {
            if (hasRow == null) {
                requireOpen("read the licenses");
                try {
                    hasRow = !ended && rows.next();
                } catch (SQLException e) {
                    throw failure("read the licenses", e);
                }
            }
            return hasRow;
        }

        @Override
        public License next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasRow = null;
            try {
                return decode(rows.getBytes(1), rows.getBytes(2));
            } catch (SQLException e) {
                throw failure("read the licenses", e);
            }
        }

        void close() {
            if (ended) {
                return;
            }
            ended = true;
            try {
                rows.close();
                statement.execute("COMMIT");
                statement.close();
            } catch (SQLException e) {
                discard(connection);
                return;
            }
            giveBack(connection);
        }
    }

    private final class SqliteStoreTransaction implements StoreTransaction {

        private final Connection connection;
        /**
         * Prepared once for all of the transaction's finds: a restore asks for every license it
         * writes, and preparing took most of the operation thread's time in SQLite (a JFR of a
         * 170,000-license restore).
         */
        private PreparedStatement findStatement;
        private boolean ended;

        SqliteStoreTransaction(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Optional<License> find(KeyId keyId) {
            Objects.requireNonNull(keyId, "keyId");
            requireUsable("find a license");
            try {
                if (findStatement == null) {
                    findStatement = connection.prepareStatement(FIND);
                }
                return SqliteLicenseStore.this.find(findStatement, keyId);
            } catch (SQLException e) {
                throw failure("find a license", e);
            }
        }

        /** Closes the prepared find before the connection goes back or away. */
        private void closeFindStatement() {
            if (findStatement != null) {
                try {
                    findStatement.close();
                } catch (SQLException e) {
                    // the connection's end closes it all the same
                }
                findStatement = null;
            }
        }

        @Override
        public void put(Collection<License> batch) {
            executeForEach("put licenses", PUT, batch, (statement, license) -> {
                statement.setBytes(1, license.keyId().bytes());
                statement.setBytes(2, LicenseCodec.encode(license));
            });
        }

        @Override
        public void delete(Collection<KeyId> batch) {
            executeForEach("delete licenses", DELETE, batch, (statement, keyId) -> statement.setBytes(1, keyId.bytes()));
        }

        /** Runs {@code sql} once for each item of the batch, with the item's parameters. */
        private <T> void executeForEach(String action, String sql, Collection<T> batch, ParameterSetter<T> parameters) {
            Objects.requireNonNull(batch, "batch");
            requireUsable(action);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (T item : batch) {
                    parameters.set(statement, item);
                    statement.executeUpdate();
                }
            } catch (SQLException e) {
                throw failure(action, e);
            }
        }

        @Override
        public void commit() {
            requireUsable("commit");
            ended = true;
            closeFindStatement();
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
            } catch (SQLException e) {
                // SQLite rolled back, or left the transaction open: closing the connection ends it
                discard(connection);
                throw failure("commit", e);
            }
            compaction.afterCommit(connection);
            giveBack(connection);
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            closeFindStatement();
            if (closed) {
                discard(connection);
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ROLLBACK");
            } catch (SQLException e) {
                discard(connection);
                throw failure("roll back", e);
            }
            giveBack(connection);
        }

        private void requireUsable(String action) {
            if (ended) {
                throw new StoreException("cannot " + action + ": the transaction has ended");
            }
            requireOpen(action);
        }
    }
}
