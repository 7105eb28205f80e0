package org.licensebackup.lms.server.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.MalformedLicenseException;
import org.licensebackup.lms.Rebinding;

/**
 * What support staff see and do, for the console and {@code license:support} alike: a license with
 * the devices that hold it, a device with its licenses and history, and freeing a device's slot of
 * one license or of all (a dead computer). Each freeing and its audit entries (who, when, what, why)
 * are one transaction; the audit table is only ever added to. A freed device is simply no longer
 * among a license's devices, so if it comes back it counts as a new one. Thread-safe.
 */
final class SupportDesk {

    /** A device that holds a license, and since when (empty: from before the ledger kept times). */
    record Holder(String deviceId, Optional<Instant> since) {
    }

    /** An audit entry: operator {@code operator} freed {@code deviceId}'s slot of {@code keyId} at {@code at}, for {@code reason}. */
    record AuditEntry(long id, Instant at, String operator, String action, String deviceId, KeyId keyId, String reason) {
    }

    /** A license as the console shows it; title and issuer empty when it was re-bound before the ledger kept them. */
    record LicenseView(KeyId keyId, Optional<String> title, Optional<String> issuer, List<Holder> holders, int deviceLimit,
            List<AuditEntry> audit) {

        /** How many more new devices may have it; 0 when a lowered limit is exceeded already. */
        int allowanceLeft() {
            return Math.max(0, deviceLimit - holders.size());
        }
    }

    /** A license a device holds. */
    record Held(KeyId keyId, Optional<String> title, Optional<Instant> since) {
    }

    record DeviceView(String deviceId, List<Held> licenses, List<AuditEntry> history) {
    }

    /** The day's counts (UTC): this instance's re-bindings, refusals and releases, and the freeings on every instance. */
    record Today(LocalDate date, Map<String, Long> counts) {
    }

    static final String FREE_SLOT = "FREE_SLOT";
    static final String FREE_DEVICE = "FREE_DEVICE";
    static final int MAX_REASON_LENGTH = 1000;
    /** Audit entries a page shows, newest first. */
    static final int AUDIT_PAGE = 200;
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");

    private final Transactions transactions;
    private final int deviceLimit;
    private final Clock clock;
    private final ServerMetrics metrics;

    SupportDesk(DataSource dataSource, int deviceLimit, Clock clock, ServerMetrics metrics) {
        this.transactions = new Transactions(Objects.requireNonNull(dataSource, "dataSource"));
        this.deviceLimit = deviceLimit;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** @throws SupportException BAD_INPUT unless {@code text} is a base64 key ID; NOT_FOUND when no device ever got it here */
    LicenseView license(String text) {
        KeyId keyId = keyId(text);
        long now = clock.millis();
        return transactions.inTransaction("show a license", connection -> {
            Optional<String[]> facts = licenseFacts(connection, keyId);
            if (facts.isEmpty()) {
                throw new SupportException(SupportException.Code.NOT_FOUND, "no device was ever given license " + keyId + " by this server");
            }
            List<Holder> holders = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT device_id, MIN(since) FROM ("
                    + "SELECT device_id, bound_at AS since FROM lms_bindings WHERE key_id = ?"
                    + " UNION ALL SELECT r.device_id, r.reserved_at FROM lms_reservations r JOIN lms_sessions s ON s.session_id = r.session_id"
                    + " WHERE r.key_id = ? AND (s.committed = TRUE OR s.expires_at > ?)) held GROUP BY device_id ORDER BY 2, 1")) {
                select.setBytes(1, keyId.bytes());
                select.setBytes(2, keyId.bytes());
                select.setLong(3, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        holders.add(new Holder(rows.getString(1), instant(rows, 2)));
                    }
                }
            }
            return new LicenseView(keyId, Optional.ofNullable(facts.get()[0]), Optional.ofNullable(facts.get()[1]), holders, deviceLimit,
                    audit(connection, "key_id = ?", statement -> statement.setBytes(1, keyId.bytes())));
        });
    }

    /** @throws SupportException BAD_INPUT unless {@code deviceId} is a device ID; NOT_FOUND when the ledger never met it */
    DeviceView device(String deviceId) {
        requireDeviceId(deviceId);
        long now = clock.millis();
        return transactions.inTransaction("show a device", connection -> {
            List<Held> held = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT h.key_id, MIN(h.since), MIN(l.title) FROM ("
                    + "SELECT key_id, bound_at AS since FROM lms_bindings WHERE device_id = ?"
                    + " UNION ALL SELECT r.key_id, r.reserved_at FROM lms_reservations r JOIN lms_sessions s ON s.session_id = r.session_id"
                    + " WHERE r.device_id = ? AND (s.committed = TRUE OR s.expires_at > ?)) h"
                    + " LEFT JOIN lms_licenses l ON l.key_id = h.key_id GROUP BY h.key_id ORDER BY 2, 1")) {
                select.setString(1, deviceId);
                select.setString(2, deviceId);
                select.setLong(3, now);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        held.add(new Held(KeyId.of(rows.getBytes(1)), Optional.ofNullable(rows.getString(3)), instant(rows, 2)));
                    }
                }
            }
            List<AuditEntry> history = audit(connection, "device_id = ?", statement -> statement.setString(1, deviceId));
            if (held.isEmpty() && history.isEmpty()) {
                throw new SupportException(SupportException.Code.NOT_FOUND, "device " + deviceId + " holds no license here and was never freed");
            }
            return new DeviceView(deviceId, held, history);
        });
    }

    /**
     * Frees {@code deviceId}'s slot of one license, and writes who, when and why in the audit table,
     * in one transaction.
     *
     * @throws SupportException BAD_INPUT for a key ID, device ID, operator or reason that is not one; NOT_HELD when
     *     the device holds no slot of the license
     */
    AuditEntry freeSlot(String operator, String keyIdText, String deviceId, String reason) {
        KeyId keyId = keyId(keyIdText);
        requireDeviceId(deviceId);
        String why = requireReason(reason);
        requireOperator(operator);
        List<AuditEntry> entries = free(operator, FREE_SLOT, deviceId, new TreeSet<>(Set.of(keyId)), why);
        if (entries.isEmpty()) {
            throw new SupportException(SupportException.Code.NOT_HELD, "device " + deviceId + " holds no slot of license " + keyId);
        }
        return entries.get(0);
    }

    /**
     * Frees every slot {@code deviceId} holds (a computer that died), an audit entry each, in one transaction.
     *
     * @throws SupportException BAD_INPUT as {@link #freeSlot} does; NOT_HELD when the device holds none
     */
    List<AuditEntry> freeDevice(String operator, String deviceId, String reason) {
        requireDeviceId(deviceId);
        String why = requireReason(reason);
        requireOperator(operator);
        List<AuditEntry> entries = free(operator, FREE_DEVICE, deviceId, null, why);
        if (entries.isEmpty()) {
            throw new SupportException(SupportException.Code.NOT_HELD, "device " + deviceId + " holds no slot of any license");
        }
        return entries;
    }

    /** @param keyIds the licenses to free, or null: all the device holds */
    private List<AuditEntry> free(String operator, String action, String deviceId, TreeSet<KeyId> keyIds, String reason) {
        long at = clock.millis();
        List<AuditEntry> entries = transactions.inTransaction("free a device's slots", connection -> {
            TreeSet<KeyId> wanted = keyIds != null ? keyIds : heldBy(connection, deviceId);
            Set<KeyId> freed = wanted.isEmpty() ? Set.of() : Ledger.release(connection, deviceId, wanted);
            List<AuditEntry> written = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO lms_support_audit (at, operator, action, device_id,"
                    + " key_id, reason) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"entry_id"})) {
                for (KeyId keyId : freed) {
                    insert.setLong(1, at);
                    insert.setString(2, operator);
                    insert.setString(3, action);
                    insert.setString(4, deviceId);
                    insert.setBytes(5, keyId.bytes());
                    insert.setString(6, reason);
                    insert.executeUpdate();
                    try (ResultSet key = insert.getGeneratedKeys()) {
                        key.next();
                        written.add(new AuditEntry(key.getLong(1), Instant.ofEpochMilli(at), operator, action, deviceId, keyId, reason));
                    }
                }
            }
            return written;
        });
        metrics.released(entries.size(), true);
        return entries;
    }

    /** The licenses {@code deviceId} holds for good: bindings and committed re-bindings. */
    private static TreeSet<KeyId> heldBy(Connection connection, String deviceId) throws SQLException {
        TreeSet<KeyId> held = new TreeSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT key_id FROM lms_bindings WHERE device_id = ?"
                + " UNION SELECT key_id FROM lms_reservations WHERE device_id = ?"
                + " AND session_id IN (SELECT session_id FROM lms_sessions WHERE committed = TRUE)")) {
            select.setString(1, deviceId);
            select.setString(2, deviceId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    held.add(KeyId.of(rows.getBytes(1)));
                }
            }
        }
        return held;
    }

    /** The newest audit entries, of every license and device. */
    List<AuditEntry> recentAudit() {
        return transactions.inTransaction("read the audit", connection -> audit(connection, "1 = 1", statement -> {
        }));
    }

    /** Today's counts (UTC): this instance's from its metrics, and the slots operators freed on every instance. */
    Today today() {
        LocalDate date = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        long midnight = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<String, Long> counts = new TreeMap<>();
        // every count support staff look for, at 0 until it happens
        counts.put(ServerMetrics.REBOUND, 0L);
        for (Rebinding.Refusal reason : Rebinding.Refusal.values()) {
            counts.put(ServerMetrics.REFUSED + reason.name(), 0L);
        }
        counts.put(ServerMetrics.RELEASED_BY_DEVICE, 0L);
        counts.put(ServerMetrics.RELEASED_BY_OPERATOR, 0L);
        counts.putAll(metrics.todaysCounts());
        long freed = transactions.inTransaction("count today's freeings", connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM lms_support_audit WHERE at >= ?")) {
                count.setLong(1, midnight);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
        counts.put("freed.by.operators.all.instances", freed);
        return new Today(date, counts);
    }

    /** Live restore sessions on every instance of the ledger at {@code now}, for the metrics. */
    static int openSessions(Transactions transactions, long now) {
        return transactions.inTransaction("count open sessions", connection -> {
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM lms_sessions WHERE expires_at > ?")) {
                count.setLong(1, now);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static List<AuditEntry> audit(Connection connection, String condition, Binder binder) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT entry_id, at, operator, action, device_id, key_id, reason"
                + " FROM lms_support_audit WHERE " + condition + " ORDER BY entry_id DESC LIMIT " + AUDIT_PAGE)) {
            binder.bind(select);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3), rows.getString(4),
                            rows.getString(5), KeyId.of(rows.getBytes(6)), rows.getString(7)));
                }
            }
        }
        return entries;
    }

    /** The license's title and issuer (each may be null), if the ledger knows it. */
    private static Optional<String[]> licenseFacts(Connection connection, KeyId keyId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT title, issuer FROM lms_licenses WHERE key_id = ?")) {
            select.setBytes(1, keyId.bytes());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new String[] {rows.getString(1), rows.getString(2)}) : Optional.empty();
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    static KeyId keyId(String text) {
        try {
            return KeyId.parse(text == null ? "" : text.strip());
        } catch (MalformedLicenseException e) {
            throw new SupportException(SupportException.Code.BAD_INPUT, "not a key ID (16 bytes in base64, as the support link carries it): "
                    + shown(text));
        }
    }

    static void requireDeviceId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new SupportException(SupportException.Code.BAD_INPUT, "not a device ID: " + shown(deviceId));
        }
    }

    private static void requireOperator(String operator) {
        if (operator == null || !OPERATOR.matcher(operator).matches()) {
            throw new SupportException(SupportException.Code.BAD_INPUT, "not an operator name: " + shown(operator));
        }
    }

    private static String requireReason(String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON_LENGTH || why.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new SupportException(SupportException.Code.BAD_INPUT, "give a reason: one line of at most " + MAX_REASON_LENGTH
                    + " characters");
        }
        return why;
    }

    /** Input as an error message may repeat it: one line, short. */
    private static String shown(String text) {
        if (text == null) {
            return "(none)";
        }
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }
}
