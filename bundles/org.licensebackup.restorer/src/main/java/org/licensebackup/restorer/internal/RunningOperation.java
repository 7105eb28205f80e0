package org.licensebackup.restorer.internal;

import org.licensebackup.api.Operation;
import org.licensebackup.api.OperationKind;
import org.licensebackup.api.Report;
import org.osgi.util.promise.Deferred;
import org.osgi.util.promise.Promise;

/** The handle of one operation: its promise, and the flag that {@link #cancel()} raises. */
final class RunningOperation implements Operation {

    private final String id;
    private final OperationKind kind;
    private final Deferred<Report> outcome;
    private volatile boolean cancelRequested;

    RunningOperation(String id, OperationKind kind, Deferred<Report> outcome) {
        this.id = id;
        this.kind = kind;
        this.outcome = outcome;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public OperationKind kind() {
        return kind;
    }

    @Override
    public Promise<Report> result() {
        return outcome.getPromise();
    }

    @Override
    public boolean cancel() {
        if (outcome.getPromise().isDone()) {
            return false;
        }
        cancelRequested = true;
        return true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    Deferred<Report> outcome() {
        return outcome;
    }

    @Override
    public String toString() {
        return kind + " " + id;
    }
}
