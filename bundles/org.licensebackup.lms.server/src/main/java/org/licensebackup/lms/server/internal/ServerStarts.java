package org.licensebackup.lms.server.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.lms.server.LicenseServer;

/**
 * How the start of a server made by one configuration update went, for the command that made the
 * update: Declarative Services tells no one why a component failed to activate (it logs it), so a
 * command that waited for the service alone would wait out its patience and say the wrong thing.
 * The command {@link #expect}s a revision before its update; the component built from that update
 * reports {@link #started} or {@link #failed}. Only expected revisions are kept, each until awaited.
 * Static, as the command and the component share nothing else: both live in this bundle.
 */
final class ServerStarts {

    private static final Map<String, CompletableFuture<LicenseServer>> EXPECTED = new ConcurrentHashMap<>();

    private ServerStarts() {
    }

    /** A failure of the server's surroundings (a port, an address, a database): exit 1, IO_ERROR. */
    static BackupRestoreException environment(String message) {
        return new BackupRestoreException(ErrorCode.IO_ERROR, message);
    }

    static void expect(String revision) {
        EXPECTED.put(revision, new CompletableFuture<>());
    }

    static void forget(String revision) {
        EXPECTED.remove(revision);
    }

    static void started(String revision, LicenseServer server) {
        if (revision != null) {
            EXPECTED.computeIfPresent(revision, (key, outcome) -> {
                outcome.complete(server);
                return outcome;
            });
        }
    }

    /** @param failure an {@link IllegalArgumentException} for a bad configuration value, else a {@link BackupRestoreException} */
    static void failed(String revision, RuntimeException failure) {
        if (revision != null) {
            EXPECTED.computeIfPresent(revision, (key, outcome) -> {
                outcome.completeExceptionally(failure);
                return outcome;
            });
        }
    }

    /**
     * The server that the update marked {@code revision} started, once it listens.
     *
     * @throws IllegalArgumentException for a configuration value it cannot take
     * @throws BackupRestoreException why it did not start; RESTORE_SERVICE_UNAVAILABLE when it said
     *     nothing within {@code patience} (its bundle is stopped, say)
     */
    static LicenseServer await(String revision, Duration patience) {
        CompletableFuture<LicenseServer> outcome = EXPECTED.get(revision);
        if (outcome == null) {
            throw new IllegalStateException("revision " + revision + " was not expected");
        }
        try {
            return outcome.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new BackupRestoreException(ErrorCode.INTERNAL_ERROR, String.valueOf(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, "the license server did not start within "
                    + patience.toSeconds() + " s and said nothing of why (is its bundle active? --verbose shows the log)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for the license server");
        } finally {
            EXPECTED.remove(revision);
        }
    }
}
