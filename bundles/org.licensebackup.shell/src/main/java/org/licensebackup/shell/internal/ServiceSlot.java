package org.licensebackup.shell.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;

/**
 * The service bound now to an optional dynamic reference. Services here may go away for a moment
 * while the command runs (the demo reconfigures the device, which restarts what depends on it), so
 * {@link #get()} waits a little for one instead of failing at once. Why a part that the service needs
 * does not start (a damaged key file, a store that does not open) is {@link PartReadiness}'s to say,
 * before a command asks for the service.
 */
final class ServiceSlot<T> implements Supplier<T> {

    private final String description;
    private final ErrorCode codeWhenMissing;
    private final Duration patience;
    private T service;

    /**
     * @param description what the service is, for the error message when none comes
     * @param codeWhenMissing the error code when none comes within {@code patience}
     */
    ServiceSlot(String description, ErrorCode codeWhenMissing, Duration patience) {
        this.description = Objects.requireNonNull(description, "description");
        this.codeWhenMissing = Objects.requireNonNull(codeWhenMissing, "codeWhenMissing");
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    synchronized void bind(T newService) {
        service = Objects.requireNonNull(newService, "newService");
        notifyAll();
    }

    /** Clears the slot only if {@code departing} is the bound one: SCR binds a replacement before it unbinds the old. */
    synchronized void unbind(T departing) {
        if (service == departing) {
            service = null;
        }
    }

    /**
     * The service bound now, waiting up to the patience given for one.
     *
     * @throws BackupRestoreException with the code given when none comes in time
     */
    @Override
    public synchronized T get() {
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (service == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BackupRestoreException(codeWhenMissing,
                            "no " + description + " within " + patience.toSeconds() + " s");
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for " + description);
        }
    }
}
