package org.licensebackup.api;

import java.util.Objects;

/**
 * What a part of the host (the device identity, a license store) is doing, as the part itself tells
 * it: serving, not started, or failed and why. Since 1.5.
 *
 * @param part what it is, {@link ReadinessService#DEVICE} or {@link ReadinessService#STORE}
 * @param name which one: the store's {@code licensebackup.store.name}, or the device's key file
 * @param state what it is doing
 * @param problem why it does not serve, for a person (a damaged file names the file and says what to do);
 *     empty when it serves
 */
public record Readiness(String part, String name, State state, String problem) {

    /** What a part is doing. */
    public enum State {
        /** It serves. */
        READY,
        /** It has not started yet, or is not configured to (a store that the host did not set up). */
        NOT_STARTED,
        /** It tried to start and could not: {@link #problem()} says why. */
        FAILED
    }

    public Readiness {
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(problem, "problem");
    }

    /** {@code part} {@code name} serves. */
    public static Readiness ready(String part, String name) {
        return new Readiness(part, name, State.READY, "");
    }

    /** {@code part} {@code name} has not started, for {@code why} (may be empty). */
    public static Readiness notStarted(String part, String name, String why) {
        return new Readiness(part, name, State.NOT_STARTED, why);
    }

    /**
     * {@code part} {@code name} could not start: its error's message, which says what is wrong and what to
     * do, or the error's class where it has none.
     */
    public static Readiness failed(String part, String name, Throwable error) {
        String message = error.getMessage();
        return new Readiness(part, name, State.FAILED, message == null || message.isBlank() ? error.toString() : message);
    }
}
