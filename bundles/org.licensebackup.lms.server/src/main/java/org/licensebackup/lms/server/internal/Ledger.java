package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.licensebackup.license.KeyId;
import org.licensebackup.lms.LmsUnavailableException;

/**
 * The server's ledger in a relational database through JDBC, and nothing but its SQL: keys,
 * committed bindings, sessions with their lanes, reservations and escrows, nonces. The schema is
 * made by versioned scripts ({@code schema-v1.sql}, then one per later version); every statement is
 * one that H2 and PostgreSQL both accept.
 * Thread-safe: each call takes a connection of its own.
 */
final class Ledger {

    static final int SCHEMA_VERSION = 4;
    /** Keys per {@code IN (...)} list: far below every database's limit on parameters. */
    private static final int IN_LIST_CHUNK = 500;
    /** The length of the title and issuer columns. */
    private static final int FACT_LENGTH = 512;

    private final DataSource dataSource;
    private final Transactions transactions;

    Ledger(DataSource dataSource) {
        this.dataSource = dataSource;
        this.transactions = new Transactions(dataSource);
    }

    /**
     * Brings the schema to {@link #SCHEMA_VERSION}: runs the script of each version after the
     * database's own ({@code schema-v1.sql} creates it, each later one migrates from the one before),
     * a transaction per script. Refuses a schema newer than this server knows.
     */
    void migrate() {
        int version = schemaVersion().orElse(0);
        while (version < SCHEMA_VERSION) {
            int next = version + 1;
            try {
                transactions.inTransaction("bring the ledger's schema to version " + next, connection -> {
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : schemaStatements(next)) {
                            statement.execute(sql);
                        }
                    }
                    return null;
                });
            } catch (LmsUnavailableException e) {
                // Another instance may have run it meanwhile; anything else fails here.
                if (schemaVersion().orElse(0) < next) {
                    throw e;
                }
            }
            version = schemaVersion().orElse(0);
        }
        if (version != SCHEMA_VERSION) {
            throw new IllegalStateException("the ledger's schema is version " + version + "; this server knows versions up to " + SCHEMA_VERSION);
        }
    }

    private Optional<Integer> schemaVersion() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            try (ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM lms_schema_version")) {
                rows.next();
                int version = rows.getInt(1);
                return rows.wasNull() ? Optional.empty() : Optional.of(version);
            }
        } catch (SQLException noTable) {
            return Optional.empty();
        }
    }

    /** The statements of the script that brings the schema to {@code version}. */
    static List<String> schemaStatements(int version) {
        String script;
        try (InputStream in = Ledger.class.getResourceAsStream("schema-v" + version + ".sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the bundle lacks its schema script", e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            statement.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(statement.substring(0, statement.lastIndexOf(";")));
                statement.setLength(0);
            }
        }
        return statements;
    }

    // Server keys

    /** The private key stored under {@code name}, or {@code created} stored there if there is none yet. */
    byte[] serverKey(String name, byte[] created) {
        return transactions.inTransaction("keep the server's keys", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT private_key FROM lms_server_keys WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        return rows.getBytes(1);
                    }
                }
            }
            // A concurrent first start inserts too: the loser's unique violation makes the transaction run again and read.
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lms_server_keys (name, private_key) VALUES (?, ?)")) {
                insert.setString(1, name);
                insert.setBytes(2, created);
                insert.executeUpdate();
            }
            return created;
        });
    }

    // Nonces

    void addNonce(String nonce, long expiresAt) {
        transactions.inTransaction("issue a nonce", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lms_nonces (nonce, expires_at) VALUES (?, ?)")) {
                insert.setString(1, nonce);
                insert.setLong(2, expiresAt);
                return insert.executeUpdate();
            }
        });
    }

    /** Whether {@code nonce} was issued, had not expired at {@code now}, and is now used up. */
    boolean consumeNonce(String nonce, long now) {
        return transactions.inTransaction("use a nonce", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lms_nonces WHERE nonce = ? AND expires_at > ?")) {
                delete.setString(1, nonce);
                delete.setLong(2, now);
                return delete.executeUpdate() == 1;
            }
        });
    }

    // Sessions

    /**
     * A session as the ledger keeps it, with where one of its lanes stands, without the lane's last
     * answer, which only a retry needs ({@link #recordedAnswer}): a batch's answer is megabytes.
     */
    record SessionRow(String sessionId, String deviceId, byte[] signingKey, byte[] agreementKey, boolean committed,
            int lane, long lastSequence, byte[] lastSignature) {
    }

    /** The answer recorded for a session's last request. */
    record RecordedAnswer(int status, byte[] body) {
    }

    /** Adds a session with {@code lanes} lanes, numbered from 0, that no request used yet. */
    void addSession(String sessionId, String deviceId, byte[] signingKey, byte[] agreementKey, long expiresAt, int lanes) {
        transactions.inTransaction("open a session", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lms_sessions (session_id, device_id, signing_key,"
                    + " agreement_key, expires_at, committed) VALUES (?, ?, ?, ?, ?, FALSE)");
                    PreparedStatement insertLane = connection.prepareStatement(
                            "INSERT INTO lms_session_lanes (session_id, lane, last_sequence) VALUES (?, ?, 0)")) {
                insert.setString(1, sessionId);
                insert.setString(2, deviceId);
                insert.setBytes(3, signingKey);
                insert.setBytes(4, agreementKey);
                insert.setLong(5, expiresAt);
                insert.executeUpdate();
                for (int lane = 0; lane < lanes; lane++) {
                    insertLane.setString(1, sessionId);
                    insertLane.setInt(2, lane);
                    insertLane.addBatch();
                }
                return insertLane.executeBatch();
            }
        });
    }

    /** How many sessions of {@code deviceId} live at {@code now}, on every instance that shares the ledger. */
    int liveSessions(String deviceId, long now) {
        return transactions.inTransaction("count a device's sessions", connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM lms_sessions WHERE device_id = ? AND expires_at > ?")) {
                count.setString(1, deviceId);
                count.setLong(2, now);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    /**
     * The session with where {@code lane} stands, if the session lives at {@code now} and has that
     * lane, its expiry moved to {@code newExpiry}.
     */
    Optional<SessionRow> touchSession(String sessionId, int lane, long now, long newExpiry) {
        return transactions.inTransaction("find a session", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE lms_sessions SET expires_at = ? WHERE session_id = ? AND expires_at > ?")) {
                update.setLong(1, newExpiry);
                update.setString(2, sessionId);
                update.setLong(3, now);
                if (update.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT s.device_id, s.signing_key, s.agreement_key, s.committed,"
                    + " l.last_sequence, l.last_signature FROM lms_sessions s JOIN lms_session_lanes l ON l.session_id = s.session_id"
                    + " WHERE s.session_id = ? AND l.lane = ?")) {
                select.setString(1, sessionId);
                select.setInt(2, lane);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new SessionRow(sessionId, rows.getString(1), rows.getBytes(2), rows.getBytes(3),
                            rows.getBoolean(4), lane, rows.getLong(5), rows.getBytes(6)));
                }
            }
        });
    }

    /** The answer recorded for request {@code sequence} of the session's {@code lane}, if that was the lane's last. */
    Optional<RecordedAnswer> recordedAnswer(String sessionId, int lane, long sequence) {
        return transactions.inTransaction("read a recorded answer", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT last_status, last_answer FROM lms_session_lanes"
                    + " WHERE session_id = ? AND lane = ? AND last_sequence = ? AND last_answer IS NOT NULL")) {
                select.setString(1, sessionId);
                select.setInt(2, lane);
                select.setLong(3, sequence);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(new RecordedAnswer(rows.getInt(1), rows.getBytes(2))) : Optional.empty();
                }
            }
        });
    }

    /** Records the answer to request {@code sequence} of the session's {@code lane}, unless a later one was recorded meanwhile. */
    void recordAnswer(String sessionId, int lane, long sequence, byte[] signature, int status, byte[] answer) {
        transactions.inTransaction("record an answer", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE lms_session_lanes SET last_sequence = ?, last_signature = ?,"
                    + " last_status = ?, last_answer = ? WHERE session_id = ? AND lane = ? AND last_sequence < ?")) {
                update.setLong(1, sequence);
                update.setBytes(2, signature);
                update.setInt(3, status);
                update.setBytes(4, answer);
                update.setString(5, sessionId);
                update.setInt(6, lane);
                update.setLong(7, sequence);
                return update.executeUpdate();
            }
        });
    }

    void addEscrow(String sessionId, String deviceId, byte[] escrow) {
        transactions.inTransaction("keep a key escrow", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lms_escrows WHERE session_id = ? AND device_id = ?");
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO lms_escrows (session_id, device_id, escrow) VALUES (?, ?, ?)")) {
                delete.setString(1, sessionId);
                delete.setString(2, deviceId);
                delete.executeUpdate();
                insert.setString(1, sessionId);
                insert.setString(2, deviceId);
                insert.setBytes(3, escrow);
                return insert.executeUpdate();
            }
        });
    }

    Optional<byte[]> escrow(String sessionId, String deviceId) {
        return transactions.inTransaction("read a key escrow", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT escrow FROM lms_escrows WHERE session_id = ? AND device_id = ?")) {
                select.setString(1, sessionId);
                select.setString(2, deviceId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Ends a session. An uncommitted one goes with what it reserved; a committed one keeps its
     * reservations, which count as bindings, until {@link #compact} moves them, and stops serving.
     */
    void closeSession(String sessionId) {
        transactions.inTransaction("close a session", connection -> {
            try (PreparedStatement escrows = connection.prepareStatement("DELETE FROM lms_escrows WHERE session_id = ?");
                    PreparedStatement lanes = connection.prepareStatement("DELETE FROM lms_session_lanes WHERE session_id = ?");
                    PreparedStatement reservations = connection.prepareStatement("DELETE FROM lms_reservations WHERE session_id IN"
                            + " (SELECT session_id FROM lms_sessions WHERE session_id = ? AND committed = FALSE)");
                    PreparedStatement uncommitted = connection.prepareStatement(
                            "DELETE FROM lms_sessions WHERE session_id = ? AND committed = FALSE");
                    PreparedStatement committed = connection.prepareStatement("UPDATE lms_sessions SET expires_at = 0 WHERE session_id = ?")) {
                for (PreparedStatement statement : List.of(escrows, lanes, reservations, uncommitted, committed)) {
                    statement.setString(1, sessionId);
                    statement.executeUpdate();
                }
            }
            return null;
        });
    }

    /**
     * Drops the uncommitted sessions that expired before {@code now} (all of them, with
     * {@code Long.MAX_VALUE}) with what they reserved, the escrows and lanes of every expired session, and
     * expired nonces. Committed sessions stay: their reservations count as bindings.
     *
     * @return the IDs of the sessions whose escrows were dropped
     */
    List<String> dropExpired(long now) {
        return transactions.inTransaction("drop expired sessions", connection -> {
            List<String> expired = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT session_id FROM lms_sessions WHERE expires_at <= ?")) {
                select.setLong(1, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        expired.add(rows.getString(1));
                    }
                }
            }
            String uncommitted = "SELECT session_id FROM lms_sessions WHERE expires_at <= ? AND committed = FALSE";
            String[] deletes = {
                "DELETE FROM lms_reservations WHERE session_id IN (" + uncommitted + ")",
                "DELETE FROM lms_escrows WHERE session_id IN (SELECT session_id FROM lms_sessions WHERE expires_at <= ?)",
                "DELETE FROM lms_session_lanes WHERE session_id IN (SELECT session_id FROM lms_sessions WHERE expires_at <= ?)",
                "DELETE FROM lms_sessions WHERE expires_at <= ? AND committed = FALSE",
                "DELETE FROM lms_nonces WHERE expires_at <= ?"};
            for (String sql : deletes) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setLong(1, now);
                    delete.executeUpdate();
                }
            }
            return expired;
        });
    }

    /**
     * Moves up to {@code chunk} reservations of committed sessions that ended (closed or idle) into
     * the bindings, in one transaction, and drops such a session once it has none left. Whether a
     * device counts is the same before and after: it is in the bindings or in a committed session.
     *
     * @return how many rows it moved or dropped: 0 when nothing is left to compact
     */
    int compact(long now, int chunk) {
        return transactions.inTransaction("compact committed sessions", connection -> {
            String sessionId;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT session_id FROM lms_sessions WHERE committed = TRUE AND expires_at <= ? ORDER BY session_id LIMIT 1")) {
                select.setLong(1, now);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return 0;
                    }
                    sessionId = rows.getString(1);
                }
            }
            TreeSet<KeyId> chunkKeys = new TreeSet<>();
            byte[] lastKey = null;
            // in the primary key's order, so that the database stops after the chunk: with DISTINCT, H2
            // read and sorted every reservation the session had left for each chunk (a session holds
            // one row per license, its one device's; a key seen twice is taken once below)
            try (PreparedStatement select = connection.prepareStatement("SELECT key_id FROM lms_reservations"
                    + " WHERE session_id = ? ORDER BY session_id, key_id LIMIT ?")) {
                select.setString(1, sessionId);
                select.setInt(2, chunk);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        lastKey = rows.getBytes(1);
                        chunkKeys.add(KeyId.of(lastKey));
                    }
                }
            }
            if (chunkKeys.isEmpty()) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lms_sessions WHERE session_id = ?")) {
                    delete.setString(1, sessionId);
                    return delete.executeUpdate();
                }
            }
            // The licenses' locks order this move with releases and re-bindings of the same licenses;
            // the reservations are read again under them.
            lockLicenses(connection, chunkKeys);
            List<byte[]> keyIds = new ArrayList<>();
            List<String> devices = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            // The chunk is the session's lowest keys in the database's own order, so a range of the
            // primary key reads its rows. An IN list of them was checked, key by key, against every
            // reservation the session had left (H2 reads the rows of session_id = ? and tests the list
            // on each): a million-license session's compaction took time quadratic in its size, which
            // the server's profile of a 100,000-license restore showed as half its database time.
            try (PreparedStatement select = connection.prepareStatement("SELECT key_id, device_id, reserved_at FROM lms_reservations"
                    + " WHERE session_id = ? AND key_id <= ? ORDER BY key_id")) {
                select.setString(1, sessionId);
                select.setBytes(2, lastKey);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        byte[] keyId = rows.getBytes(1);
                        // only the keys locked above: none other can be in range, but a lock is not taken on trust
                        if (chunkKeys.contains(KeyId.of(keyId))) {
                            keyIds.add(keyId);
                            devices.add(rows.getString(2));
                            long reservedAt = rows.getLong(3);
                            times.add(rows.wasNull() ? null : reservedAt);
                        }
                    }
                }
            }
            try (PreparedStatement bind = connection.prepareStatement("INSERT INTO lms_bindings (key_id, device_id, bound_at) SELECT ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM lms_bindings WHERE key_id = ? AND device_id = ?)");
                    PreparedStatement delete = connection.prepareStatement(
                            "DELETE FROM lms_reservations WHERE session_id = ? AND key_id = ? AND device_id = ?")) {
                for (int i = 0; i < keyIds.size(); i++) {
                    bind.setBytes(1, keyIds.get(i));
                    bind.setString(2, devices.get(i));
                    bind.setObject(3, times.get(i), java.sql.Types.BIGINT);
                    bind.setBytes(4, keyIds.get(i));
                    bind.setString(5, devices.get(i));
                    bind.addBatch();
                    delete.setString(1, sessionId);
                    delete.setBytes(2, keyIds.get(i));
                    delete.setString(3, devices.get(i));
                    delete.addBatch();
                }
                bind.executeBatch();
                delete.executeBatch();
            }
            return Math.max(1, keyIds.size());
        });
    }

    // Device counting

    /**
     * The devices each license counts on at {@code now}: committed bindings and the reservations of
     * live sessions. Reads without locking: what {@link #reserve} decides under locks, this only shows.
     */
    Map<KeyId, Set<String>> devices(Collection<KeyId> keyIds, long now) {
        return transactions.inTransaction("count devices", connection -> devices(connection, new TreeSet<>(keyIds), now));
    }

    /**
     * In one transaction: locks the licenses' rows in key order (inserting those not yet known),
     * reads the devices they count on, lets {@code decide} choose which devices to reserve for
     * {@code sessionId}, and reserves them. Two sessions racing for a license's last slot serialize
     * on its row, so exactly one gets it.
     *
     * @param decide gets each license's devices (committed and live reservations, this session's
     *     included) and returns the (license, device) pairs to reserve
     */
    <T> T reserve(String sessionId, Map<KeyId, LicenseFacts> licenses, long now, ReservationDecision<T> decide) {
        TreeSet<KeyId> sorted = new TreeSet<>(licenses.keySet());
        return transactions.inTransaction("reserve devices", connection -> {
            // A row this transaction inserted is locked by that insert and counts no device yet: only
            // licenses known before need their rows locked and their devices read.
            Set<KeyId> inserted = insertMissingLicenses(connection, sorted, licenses);
            TreeSet<KeyId> known = new TreeSet<>(sorted);
            known.removeAll(inserted);
            lockLicenses(connection, known);
            Map<KeyId, Set<String>> devices = devices(connection, known, now);
            inserted.forEach(keyId -> devices.put(keyId, new HashSet<>()));
            Decision<T> decision = decide.decide(devices);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO lms_reservations (session_id, key_id, device_id, reserved_at) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<KeyId, Set<String>> reservation : decision.reservations().entrySet()) {
                    for (String device : reservation.getValue()) {
                        insert.setString(1, sessionId);
                        insert.setBytes(2, reservation.getKey().bytes());
                        insert.setString(3, device);
                        insert.setLong(4, now);
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            return decision.result();
        });
    }

    /** What the support console shows of a license: its signed grant's title and issuer. */
    record LicenseFacts(String title, String issuer) {
    }

    /** What a batch's devices decide: the devices to reserve per license, and the batch's answer. */
    record Decision<T>(Map<KeyId, Set<String>> reservations, T result) {
    }

    @FunctionalInterface
    interface ReservationDecision<T> {
        Decision<T> decide(Map<KeyId, Set<String>> devices);
    }

    /**
     * Inserts the license rows that are missing; the key IDs it inserted. A row is never deleted, and
     * bindings and reservations only ever follow it, so one this transaction inserted has none.
     */
    private static Set<KeyId> insertMissingLicenses(Connection connection, TreeSet<KeyId> keyIds, Map<KeyId, LicenseFacts> facts)
            throws SQLException {
        Set<KeyId> known = new HashSet<>();
        for (List<KeyId> chunk : chunks(keyIds)) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT key_id FROM lms_licenses WHERE key_id IN (" + placeholders(chunk.size()) + ")")) {
                bindKeyIds(select, chunk, 1);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        known.add(KeyId.of(rows.getBytes(1)));
                    }
                }
            }
        }
        Set<KeyId> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lms_licenses (key_id, title, issuer) VALUES (?, ?, ?)")) {
            for (KeyId keyId : keyIds) {
                if (!known.contains(keyId)) {
                    LicenseFacts about = facts.get(keyId);
                    insert.setBytes(1, keyId.bytes());
                    insert.setString(2, about == null ? null : clip(about.title()));
                    insert.setString(3, about == null ? null : clip(about.issuer()));
                    insert.addBatch();
                    inserted.add(keyId);
                }
            }
            if (!inserted.isEmpty()) {
                insert.executeBatch();
            }
        }
        return inserted;
    }

    /** A title or issuer as its column holds it: a longer one is cut, never refused, since it only informs. */
    private static String clip(String text) {
        return text.length() <= FACT_LENGTH ? text : text.substring(0, FACT_LENGTH);
    }

    private static void lockLicenses(Connection connection, TreeSet<KeyId> keyIds) throws SQLException {
        for (List<KeyId> chunk : chunks(keyIds)) {
            try (PreparedStatement lock = connection.prepareStatement("SELECT key_id FROM lms_licenses WHERE key_id IN ("
                    + placeholders(chunk.size()) + ") ORDER BY key_id FOR UPDATE")) {
                bindKeyIds(lock, chunk, 1);
                try (ResultSet rows = lock.executeQuery()) {
                    while (rows.next()) {
                        // Reading the rows is what takes their locks.
                    }
                }
            }
        }
    }

    private static Map<KeyId, Set<String>> devices(Connection connection, TreeSet<KeyId> keyIds, long now) throws SQLException {
        Map<KeyId, Set<String>> devices = new HashMap<>();
        for (KeyId keyId : keyIds) {
            devices.put(keyId, new HashSet<>());
        }
        for (List<KeyId> chunk : chunks(keyIds)) {
            String in = placeholders(chunk.size());
            try (PreparedStatement select = connection.prepareStatement("SELECT key_id, device_id FROM lms_bindings WHERE key_id IN (" + in + ")"
                    + " UNION SELECT r.key_id, r.device_id FROM lms_reservations r JOIN lms_sessions s ON s.session_id = r.session_id"
                    + " WHERE r.key_id IN (" + in + ") AND (s.committed = TRUE OR s.expires_at > ?)")) {
                bindKeyIds(select, chunk, 1);
                bindKeyIds(select, chunk, chunk.size() + 1);
                select.setLong(2 * chunk.size() + 1, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        devices.get(KeyId.of(rows.getBytes(1))).add(rows.getString(2));
                    }
                }
            }
        }
        return devices;
    }

    /**
     * Makes a live session's reservations count for good: they count as bindings from now on,
     * whatever becomes of the session, and {@link #compact} later moves them into the bindings. One
     * row changes, however many licenses the session re-bound. True if the session was live
     * (committing twice is the same as once).
     */
    boolean commit(String sessionId, long now) {
        return transactions.inTransaction("commit a session", connection -> {
            try (PreparedStatement mark = connection.prepareStatement(
                    "UPDATE lms_sessions SET committed = TRUE WHERE session_id = ? AND expires_at > ?")) {
                mark.setString(1, sessionId);
                mark.setLong(2, now);
                return mark.executeUpdate() == 1;
            }
        });
    }

    /**
     * Removes {@code deviceId} from the devices of {@code keyIds}: its bindings and its reservations
     * in committed sessions. The key IDs of the licenses it held.
     */
    Set<KeyId> release(String deviceId, Collection<KeyId> keyIds) {
        TreeSet<KeyId> sorted = new TreeSet<>(keyIds);
        return transactions.inTransaction("release licenses", connection -> release(connection, deviceId, sorted));
    }

    /** {@link #release(String, Collection)} within the caller's transaction, which an audit entry shares. */
    static Set<KeyId> release(Connection connection, String deviceId, TreeSet<KeyId> sorted) throws SQLException {
        // The licenses' locks order a release with the moves of committed re-bindings into the bindings.
        lockLicenses(connection, sorted);
        Set<KeyId> released = new TreeSet<>();
        for (List<KeyId> chunk : chunks(sorted)) {
            String in = placeholders(chunk.size());
            String committedSessions = "SELECT session_id FROM lms_sessions WHERE committed = TRUE";
            try (PreparedStatement held = connection.prepareStatement("SELECT key_id FROM lms_bindings WHERE device_id = ? AND key_id IN ("
                    + in + ") UNION SELECT key_id FROM lms_reservations WHERE device_id = ? AND key_id IN (" + in + ")"
                    + " AND session_id IN (" + committedSessions + ")")) {
                held.setString(1, deviceId);
                bindKeyIds(held, chunk, 2);
                held.setString(chunk.size() + 2, deviceId);
                bindKeyIds(held, chunk, chunk.size() + 3);
                try (ResultSet rows = held.executeQuery()) {
                    while (rows.next()) {
                        released.add(KeyId.of(rows.getBytes(1)));
                    }
                }
            }
            try (PreparedStatement bindings = connection.prepareStatement(
                    "DELETE FROM lms_bindings WHERE device_id = ? AND key_id IN (" + in + ")");
                    PreparedStatement reservations = connection.prepareStatement("DELETE FROM lms_reservations WHERE device_id = ?"
                            + " AND key_id IN (" + in + ") AND session_id IN (" + committedSessions + ")")) {
                for (PreparedStatement delete : List.of(bindings, reservations)) {
                    delete.setString(1, deviceId);
                    bindKeyIds(delete, chunk, 2);
                    delete.executeUpdate();
                }
            }
        }
        return released;
    }

    private static List<List<KeyId>> chunks(TreeSet<KeyId> keyIds) {
        List<List<KeyId>> chunks = new ArrayList<>();
        List<KeyId> all = new ArrayList<>(keyIds);
        for (int from = 0; from < all.size(); from += IN_LIST_CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + IN_LIST_CHUNK)));
        }
        return chunks;
    }

    private static String placeholders(int count) {
        String[] marks = new String[count];
        Arrays.fill(marks, "?");
        return String.join(", ", marks);
    }

    private static void bindKeyIds(PreparedStatement statement, List<KeyId> keyIds, int firstIndex) throws SQLException {
        for (int i = 0; i < keyIds.size(); i++) {
            statement.setBytes(firstIndex + i, keyIds.get(i).bytes());
        }
    }
}
