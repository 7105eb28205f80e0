package org.licensebackup.lms.server.internal;

import java.nio.file.Path;

import org.h2.jdbcx.JdbcConnectionPool;

/** The embedded default ledger: an H2 file database that this process owns, behind H2's own connection pool. */
final class EmbeddedDatabase {

    /** Connections for concurrent requests: batches hold one each for their short transaction. */
    private static final int MAX_CONNECTIONS = 32;
    /** How long a transaction waits for another's row lock before it is run again. */
    private static final int LOCK_TIMEOUT_MILLIS = 10_000;

    private EmbeddedDatabase() {
    }

    /** A pool on the H2 file database at {@code file} (H2 adds {@code .mv.db}). */
    static JdbcConnectionPool pool(Path file) {
        return pool("jdbc:h2:file:" + file.toAbsolutePath() + ";LOCK_TIMEOUT=" + LOCK_TIMEOUT_MILLIS, "", "");
    }

    static JdbcConnectionPool pool(String url, String user, String password) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, user, password);
        pool.setMaxConnections(MAX_CONNECTIONS);
        return pool;
    }
}
