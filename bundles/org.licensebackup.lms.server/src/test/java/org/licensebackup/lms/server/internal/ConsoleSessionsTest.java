package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private final LicenseServerEngineTest.MutableClock clock = new LicenseServerEngineTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(30));

    @Test
    void aTokenNoSessionWasGivenOpensNothingHoweverItLooks() {
        ConsoleSessions.Session session = sessions.open("alice");
        String token = session.token();
        assertEquals(43, token.length(), "256 random bits in base64url");

        assertTrue(sessions.find(token).isPresent());
        char last = token.charAt(token.length() - 1);
        assertTrue(sessions.find(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A')).isEmpty());
        assertTrue(sessions.find(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])).isEmpty());
        assertTrue(sessions.find(session.csrfToken()).isEmpty(), "the CSRF token is no session token");
        assertTrue(sessions.find("alice").isEmpty());
        assertTrue(sessions.find("").isEmpty());
        assertTrue(sessions.find(null).isEmpty());
    }

    @Test
    void eachSessionHasTokensOfItsOwn() {
        ConsoleSessions.Session first = sessions.open("alice");
        ConsoleSessions.Session second = sessions.open("alice");
        assertNotEquals(first.token(), second.token());
        assertNotEquals(first.csrfToken(), second.csrfToken());
        assertFalse(ConsoleSessions.csrfMatches(second, first.csrfToken()));
    }

    @Test
    void anActionNeedsTheSessionsOwnCsrfToken() {
        ConsoleSessions.Session session = sessions.open("alice");
        assertTrue(ConsoleSessions.csrfMatches(session, session.csrfToken()));
        assertFalse(ConsoleSessions.csrfMatches(session, null));
        assertFalse(ConsoleSessions.csrfMatches(session, ""));
        assertFalse(ConsoleSessions.csrfMatches(session, session.token()));
        assertFalse(ConsoleSessions.csrfMatches(session, session.csrfToken().substring(1)));
    }

    @Test
    void aSessionEndsWhenUnusedForItsIdleTimeAtLogOutAndAfterItsMaximumAge() {
        ConsoleSessions.Session idle = sessions.open("alice");
        clock.advance(Duration.ofMinutes(29));
        assertTrue(sessions.find(idle.token()).isPresent(), "use restarts the idle time");
        clock.advance(Duration.ofMinutes(29));
        assertTrue(sessions.find(idle.token()).isPresent());
        clock.advance(Duration.ofMinutes(31));
        assertTrue(sessions.find(idle.token()).isEmpty());

        ConsoleSessions.Session loggedOut = sessions.open("bob");
        sessions.close(loggedOut.token());
        assertTrue(sessions.find(loggedOut.token()).isEmpty());

        ConsoleSessions.Session busy = sessions.open("carol");
        for (Duration used = Duration.ZERO; used.compareTo(ConsoleSessions.MAX_AGE) < 0; used = used.plusMinutes(20)) {
            assertTrue(sessions.find(busy.token()).isPresent());
            clock.advance(Duration.ofMinutes(20));
        }
        assertTrue(sessions.find(busy.token()).isEmpty(), "no session lives longer than " + ConsoleSessions.MAX_AGE);
    }
}
