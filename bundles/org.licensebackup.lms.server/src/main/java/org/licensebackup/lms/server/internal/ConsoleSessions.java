package org.licensebackup.lms.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The support console's log-ins: each a random 256-bit token that the browser keeps in an HttpOnly,
 * SameSite=Strict cookie, and that this instance alone knows (nothing in it can be made without the
 * server: a forged or guessed one matches no session), with a random CSRF token of its own that each
 * action's form must carry. A session ends when unused for its idle time, after {@link #MAX_AGE} in
 * all, or at log-out. Sessions are this instance's: behind a load balancer, keep an operator on one
 * instance (sticky sessions) or let them log in again.
 */
final class ConsoleSessions {

    static final Duration MAX_AGE = Duration.ofHours(8);
    /** The most sessions at once: old ones go first, so that log-ins cannot fill the heap. */
    static final int MAX_SESSIONS = 1000;

    record Session(String token, String operator, String csrfToken, long createdAt, long lastUsedAt) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration idleTimeout;

    ConsoleSessions(Clock clock, Duration idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** A new session of {@code operator}, after a good password. */
    Session open(String operator) {
        long now = clock.millis();
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().removeIf(session -> !live(session, now));
            sessions.values().stream().min(java.util.Comparator.comparingLong(Session::lastUsedAt))
                    .ifPresent(oldest -> sessions.remove(oldest.token()));
        }
        Session session = new Session(randomToken(), operator, randomToken(), now, now);
        sessions.put(session.token(), session);
        return session;
    }

    /** The live session of {@code token}, its idle time restarted; empty for a token no session has (forged, ended, absent). */
    Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Session session = sessions.get(token);
        if (session == null) {
            return Optional.empty();
        }
        if (!live(session, now)) {
            sessions.remove(token);
            return Optional.empty();
        }
        Session touched = new Session(session.token(), session.operator(), session.csrfToken(), session.createdAt(), now);
        sessions.replace(token, session, touched);
        return Optional.of(touched);
    }

    /** Whether {@code given} is the session's CSRF token, compared in constant time. */
    static boolean csrfMatches(Session session, String given) {
        return given != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    void close(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    private boolean live(Session session, long now) {
        return now - session.lastUsedAt() < idleTimeout.toMillis() && now - session.createdAt() < MAX_AGE.toMillis();
    }

    private String randomToken() {
        byte[] token = new byte[32];
        random.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }
}
