package org.licensebackup.shell.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;

/**
 * The service bound now to an optional dynamic reference. Services here may go away for a moment
 * while the command runs (the demo reconfigures the device, which restarts what depends on it), so
 * {@link #get()} waits a little for one instead of failing at once; but not for one whose component
 * failed to activate (a damaged key file, a store that does not open): that one says why at once.
 */
final class ServiceSlot<T> implements Supplier<T> {

    private static final long FAILURE_POLL_MILLIS = 50;

    private final String description;
    private final ErrorCode codeWhenMissing;
    private final Duration patience;
    private final Supplier<Optional<String>> failure;
    private T service;

    /**
     * @param description what the service is, for the error message when none comes
     * @param codeWhenMissing the error code when none comes within {@code patience}, or its component failed
     * @param failure why the component that would provide the service failed to activate, if it did:
     *     the message of the error then
     */
    ServiceSlot(String description, ErrorCode codeWhenMissing, Duration patience, Supplier<Optional<String>> failure) {
        this.description = Objects.requireNonNull(description, "description");
        this.codeWhenMissing = Objects.requireNonNull(codeWhenMissing, "codeWhenMissing");
        this.patience = Objects.requireNonNull(patience, "patience");
        this.failure = Objects.requireNonNull(failure, "failure");
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
     * @throws BackupRestoreException with the code given when none comes in time, or at once when
     *     its component failed to activate
     */
    @Override
    public synchronized T get() {
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (service == null) {
                Optional<String> failed = failure.get();
                if (failed.isPresent()) {
                    throw new BackupRestoreException(codeWhenMissing, failed.get());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new BackupRestoreException(codeWhenMissing,
                            "no " + description + " within " + patience.toSeconds() + " s");
                }
                // A failed activation is not a binding: nothing notifies, so look again soon.
                wait(Math.min(FAILURE_POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for " + description);
        }
    }
}
