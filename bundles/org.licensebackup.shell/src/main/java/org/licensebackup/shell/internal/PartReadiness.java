package org.licensebackup.shell.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;

/**
 * What the device identity and the license stores say they are doing ({@link ReadinessService}s, as
 * DS binds them), for a command that needs them: it goes on once one serves, says at once why one
 * failed (a damaged key file, a store that does not open: the part's own message), and waits a little
 * for one that has not started yet (the demo reconfigures the device, which restarts what depends on it).
 */
final class PartReadiness {

    /** How often a wait looks again: a part's readiness is asked, it does not call. */
    private static final long POLL_MILLIS = 20;

    private final Map<ReadinessService, String> parts = new ConcurrentHashMap<>();
    private final Duration patience;

    PartReadiness(Duration patience) {
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    void bind(ReadinessService service, Map<String, Object> properties) {
        parts.put(service, String.valueOf(properties.get(ReadinessService.PART)));
    }

    void unbind(ReadinessService service) {
        parts.remove(service);
    }

    /** Returns once this device's identity serves; a key file or record that does not open is BAD_DATA, with why. */
    void awaitDevice() {
        await(ReadinessService.DEVICE, ErrorCode.BAD_DATA, "device identity");
    }

    /** Returns once a license store serves; one that does not open, while none serves, is STORE_UNAVAILABLE, with why. */
    void awaitStore() {
        await(ReadinessService.STORE, ErrorCode.STORE_UNAVAILABLE, "license store");
    }

    /** Why a license store failed to start, if one did (a damaged file, a database that does not answer). */
    Optional<String> storeFailure() {
        return now(ReadinessService.STORE).stream().filter(readiness -> readiness.state() == Readiness.State.FAILED)
                .map(Readiness::problem).findFirst();
    }

    private void await(String part, ErrorCode code, String description) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<Readiness> now = now(part);
            if (now.stream().anyMatch(readiness -> readiness.state() == Readiness.State.READY)) {
                return;
            }
            Optional<Readiness> failed = now.stream().filter(readiness -> readiness.state() == Readiness.State.FAILED).findFirst();
            if (failed.isPresent()) {
                throw new BackupRestoreException(code, failed.get().problem());
            }
            if (System.nanoTime() > deadline) {
                throw new BackupRestoreException(code, "no " + description + " within " + patience.toSeconds() + " s");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for the " + description);
            }
        }
    }

    private List<Readiness> now(String part) {
        return parts.entrySet().stream().filter(entry -> entry.getValue().equals(part)).map(entry -> entry.getKey().current())
                .toList();
    }
}
