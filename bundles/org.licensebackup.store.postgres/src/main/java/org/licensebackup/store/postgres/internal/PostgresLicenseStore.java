package org.licensebackup.store.postgres.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.licensebackup.store.StoreTransaction;

/**
 * Licenses in one PostgreSQL table, each in its codec's bytes under its key ID. Reads of every
 * license run in a read-only REPEATABLE READ transaction through a server-side cursor: they see one
 * snapshot however long they last, and hold {@code fetchSize} licenses in memory at a time. A
 * transaction is one database transaction; a batch of puts or deletes is one statement (arrays
 * of key IDs and licenses), so a restore of a million licenses is a few hundred round trips.
 * Thread-safe: each call takes a connection of its own from the pool.
 */
final class PostgresLicenseStore implements LicenseStore {

    static final String TABLE = "licensebackup_licenses";
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (key_id BYTEA NOT NULL PRIMARY KEY, license BYTEA NOT NULL)";
    private static final String UPSERT = "INSERT INTO " + TABLE + " (key_id, license) SELECT * FROM UNNEST(?::bytea[], ?::bytea[])"
            + " ON CONFLICT (key_id) DO UPDATE SET license = EXCLUDED.license";

    private final DataSource dataSource;
    private final String where;
    private final int fetchSize;

    /**
     * @param where names the database in messages, without credentials
     * @throws StoreException when the database cannot be reached or its table not made
     */
    PostgresLicenseStore(DataSource dataSource, String where, int fetchSize) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.where = where;
        this.fetchSize = fetchSize;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(CREATE);
        } catch (SQLException e) {
            throw failure("open", e);
        }
    }

    @Override
    public long count() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw failure("count the licenses of", e);
        }
    }

    @Override
    public Optional<License> find(KeyId keyId) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, keyId);
        } catch (SQLException e) {
            throw failure("read license " + keyId + " from", e);
        }
    }

    private Optional<License> find(Connection connection, KeyId keyId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT license FROM " + TABLE + " WHERE key_id = ?")) {
            select.setBytes(1, keyId.bytes());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(decode(rows.getBytes(1))) : Optional.empty();
            }
        }
    }

    @Override
    public Stream<License> licenses() {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            // a cursor needs a transaction; REPEATABLE READ makes every row come from the same snapshot
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            PreparedStatement select = connection.prepareStatement("SELECT license FROM " + TABLE + " ORDER BY key_id",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            select.setFetchSize(fetchSize);
            ResultSet rows = select.executeQuery();
            Connection reading = connection;
            Spliterator<License> cursor = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                    Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT) {
                @Override
                public boolean tryAdvance(Consumer<? super License> action) {
                    try {
                        if (!rows.next()) {
                            return false;
                        }
                        action.accept(decode(rows.getBytes(1)));
                        return true;
                    } catch (SQLException e) {
                        throw failure("read the licenses of", e);
                    }
                }
            };
            return StreamSupport.stream(cursor, false).onClose(() -> endReading(reading));
        } catch (SQLException e) {
            if (connection != null) {
                endReading(connection);
            }
            throw failure("read the licenses of", e);
        }
    }

    /** Ends a read: its transaction wrote nothing, and closing the connection closes its cursor. */
    private void endReading(Connection connection) {
        try {
            connection.rollback();
            connection.setReadOnly(false);
        } catch (SQLException e) {
            // the connection goes back to the pool all the same, which resets it
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("end a read of", e);
        }
    }

    @Override
    public StoreTransaction begin() {
        try {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return new Transaction(connection);
        } catch (SQLException e) {
            throw failure("begin a transaction on", e);
        }
    }

    private final class Transaction implements StoreTransaction {

        private final Connection connection;
        private boolean ended;

        Transaction(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Optional<License> find(KeyId keyId) {
            requireOpen();
            try {
                return PostgresLicenseStore.this.find(connection, keyId);
            } catch (SQLException e) {
                throw failure("read license " + keyId + " from", e);
            }
        }

        @Override
        public void put(Collection<License> batch) {
            requireOpen();
            if (batch.isEmpty()) {
                return;
            }
            // one row per key ID: the last put wins, as it would in separate puts
            Map<KeyId, License> latest = new LinkedHashMap<>();
            batch.forEach(license -> latest.put(license.keyId(), license));
            byte[][] keyIds = latest.keySet().stream().map(KeyId::bytes).toArray(byte[][]::new);
            byte[][] licenses = latest.values().stream().map(LicenseCodec::encode).toArray(byte[][]::new);
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                upsert.setArray(1, connection.createArrayOf("bytea", keyIds));
                upsert.setArray(2, connection.createArrayOf("bytea", licenses));
                upsert.executeUpdate();
            } catch (SQLException e) {
                throw failure("write " + latest.size() + " licenses to", e);
            }
        }

        @Override
        public void delete(Collection<KeyId> batch) {
            requireOpen();
            if (batch.isEmpty()) {
                return;
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE key_id = ANY(?)")) {
                Array keyIds = connection.createArrayOf("bytea", batch.stream().map(KeyId::bytes).toArray(byte[][]::new));
                delete.setArray(1, keyIds);
                delete.executeUpdate();
            } catch (SQLException e) {
                throw failure("delete " + batch.size() + " licenses from", e);
            }
        }

        @Override
        public void commit() {
            requireOpen();
            try {
                connection.commit();
                ended = true;
            } catch (SQLException e) {
                throw failure("commit a transaction on", e);
            }
        }

        @Override
        public void close() {
            try {
                if (!ended) {
                    connection.rollback();
                }
                connection.close();
            } catch (SQLException e) {
                throw failure("end a transaction on", e);
            } finally {
                ended = true;
            }
        }

        private void requireOpen() {
            if (ended) {
                throw new StoreException("the transaction has ended: begin another");
            }
        }
    }

    private License decode(byte[] bytes) {
        try {
            return LicenseCodec.decode(bytes);
        } catch (MalformedLicenseException e) {
            throw new StoreException("a license in table " + TABLE + " of " + where + " is damaged: " + e.getMessage(), e);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException("cannot " + what + " the PostgreSQL license store at " + where + ": " + e.getMessage(), e);
    }
}
