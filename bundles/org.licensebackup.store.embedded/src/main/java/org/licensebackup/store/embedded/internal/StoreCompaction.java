package org.licensebackup.store.embedded.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps the store's file within twice the bytes of the licenses it holds. Random-order inserts
 * leave SQLite's B-tree pages about 70 % full, which is within bounds; but deletes spread over the
 * key space thin every page out evenly, and SQLite merges a page with its neighbours only below a
 * third full, so a store that lost half its licenses could reach three times their bytes. When the
 * file passes {@value #COMPACT_ABOVE_RATIO} times the licenses' bytes, a {@code VACUUM} rewrites it
 * in key order (pages full again); it runs as a write transaction, so open streams keep their
 * snapshot.
 */
final class StoreCompaction {

    /** The file size, in license bytes, above which the file is rewritten: below 2, for headroom. */
    static final double COMPACT_ABOVE_RATIO = 1.6;

    /** Below this, the file's few pages of tables and free space are not worth a rewrite. */
    static final long SMALLEST_FILE_COMPACTED = 1024 * 1024;

    /**
     * A rewrite that could not bring the ratio down (licenses so small that the per-row overhead
     * alone passes the bound) is not repeated after every commit: only once the ratio grew this
     * much beyond what the last rewrite reached.
     */
    private static final double GROWTH_BEFORE_ANOTHER_REWRITE = 0.25;

    private double ratioAfterLastRewrite;

    /**
     * Rewrites the file if it grew too large for the licenses it holds. Called on the committing
     * connection, after the commit, with no transaction open on it. A rewrite that fails (the disk
     * too full for the copy, say) leaves the committed store as it was: the commit stays a success
     * and the next commit tries again.
     */
    synchronized void afterCommit(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            long fileBytes = fileBytes(statement);
            if (fileBytes < SMALLEST_FILE_COMPACTED) {
                return;
            }
            double ratio = (double) fileBytes / Math.max(1, licenseBytes(statement));
            if (ratio <= Math.max(COMPACT_ABOVE_RATIO, ratioAfterLastRewrite + GROWTH_BEFORE_ANOTHER_REWRITE)) {
                return;
            }
            statement.execute("VACUUM");
            // the rewrite passed every page through the WAL: give that space back now rather than
            // at the next checkpoint; with a reader still open this only copies what it can
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            ratioAfterLastRewrite = (double) fileBytes(statement) / Math.max(1, licenseBytes(statement));
        } catch (SQLException e) {
            // best effort by design (see above); the store in this file stays correct
            ratioAfterLastRewrite = Math.max(ratioAfterLastRewrite, COMPACT_ABOVE_RATIO);
        }
    }

    static long fileBytes(Statement statement) throws SQLException {
        return longOf(statement, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
    }

    static long licenseBytes(Statement statement) throws SQLException {
        return longOf(statement, "SELECT license_bytes FROM totals");
    }

    private static long longOf(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            return result.next() ? result.getLong(1) : 0;
        }
    }
}
