package org.licensebackup.lms.server.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.licensebackup.lms.LmsUnavailableException;

/**
 * Runs work in one database transaction, and runs it again when the database refuses it for a
 * conflict with a concurrent transaction (a unique key both inserted, a deadlock, a lock wait that
 * timed out): those say nothing about the work, only about its timing.
 */
final class Transactions {

    /** A unit of work on a connection in a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * SQL states of conflicts worth another try: unique violation (23505, H2 and PostgreSQL),
     * serialization failure and deadlock (40001, 40P01), H2's lock timeout (HYT00).
     */
    private static final Set<String> CONFLICTS = Set.of("23505", "40001", "40P01", "HYT00");
    private static final int ATTEMPTS = 8;

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** @throws LmsUnavailableException when the database fails or the conflicts do not end */
    <T> T inTransaction(String what, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                if (!isConflict(e)) {
                    break;
                }
            }
        }
        throw new LmsUnavailableException("the license management server's database failed to " + what + ": " + last.getMessage(), last);
    }

    private static boolean isConflict(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && CONFLICTS.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
