package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.license.KeyId;

/**
 * The operator's listener over real HTTP: health follows the ledger, and the console refuses an
 * action without the session's CSRF token, from another origin, or without a session, changing
 * nothing; with them, it frees the slot.
 */
class OperatorServerTest {

    private static final String PASSWORD = "a long enough password";
    private static final KeyId FILM = KeyId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path folder;
    private LedgerDatabase database;
    private Ledger ledger;
    private OperatorServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws IOException {
        database = LedgerDatabase.embedded(folder.resolve("ledger"), H2Drivers.h2());
        ledger = new Ledger(database.dataSource());
        ledger.migrate();
        ledger.addSession("s-1", "device-a", new byte[32], new byte[32], Long.MAX_VALUE, 1);
        ledger.reserve("s-1", java.util.Map.of(FILM, new Ledger.LicenseFacts("A Film", "studio")), 1000,
                devices -> new Ledger.Decision<>(java.util.Map.of(FILM, Set.of("device-a")), null));
        ledger.commit("s-1", 1000);
        OperatorsFile operators = new OperatorsFile(folder.resolve("operators"));
        operators.put("alice", PASSWORD.toCharArray());
        ServerMetrics metrics = new ServerMetrics(Clock.systemUTC(), new ServerMetrics.Gauges(() -> 0, () -> 0, database::activeConnections, 32));
        RequestProcessor.FaultLog log = new RequestProcessor.FaultLog() {
            @Override
            public void fault(String message, Throwable cause) {
            }

            @Override
            public void refused(String line) {
            }
        };
        SupportConsole console = new SupportConsole(new SupportDesk(database.dataSource(), 4, Clock.systemUTC(), metrics), operators,
                new ConsoleSessions(Clock.systemUTC(), Duration.ofMinutes(30)), log);
        server = new OperatorServer("127.0.0.1", 0, database.dataSource(), metrics, Optional.of(console), log);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        database.close();
    }

    @Test
    void readyOnlyWhileTheLedgerAnswersLiveAllTheWhile() throws Exception {
        assertEquals(200, get("health/live", null).statusCode());
        assertEquals(200, get("health/ready", null).statusCode());
        database.close();
        assertEquals(503, get("health/ready", null).statusCode());
        assertEquals(200, get("health/live", null).statusCode());
    }

    @Test
    void anActionWithoutTheSessionsCsrfTokenFromAnotherSiteOrWithoutASessionIsRefusedAndChangesNothing() throws Exception {
        String cookie = logIn();
        HttpResponse<String> page = get("console/license?kid=" + encode(FILM.toString()), cookie);
        assertEquals(200, page.statusCode());
        Matcher csrf = CSRF.matcher(page.body());
        assertTrue(csrf.find(), page.body());
        String token = csrf.group(1);
        String free = "kid=" + encode(FILM.toString()) + "&device=device-a&reason=dead";

        assertEquals(403, post("console/free", cookie, free, null).statusCode());
        assertEquals(403, post("console/free", cookie, free + "&csrf=" + encode(token.substring(1)), null).statusCode());
        assertEquals(403, post("console/free", cookie, free + "&csrf=" + encode(token), "https://evil.example").statusCode());
        assertEquals(403, post("console/free", null, free + "&csrf=" + encode(token), null).statusCode());
        assertEquals(403, post("console/free", "lms_console=" + token, free + "&csrf=" + encode(token), null).statusCode());
        assertEquals(Set.of("device-a"), ledger.devices(List.of(FILM), System.currentTimeMillis()).get(FILM));

        HttpResponse<String> done = post("console/free", cookie, free + "&csrf=" + encode(token), server.uri().toString().replaceAll("/$", ""));
        assertEquals(303, done.statusCode(), done.body());
        assertEquals(Set.of(), ledger.devices(List.of(FILM), System.currentTimeMillis()).get(FILM));
    }

    @Test
    void aLoggedOutSessionOpensNothingMore() throws Exception {
        String cookie = logIn();
        HttpResponse<String> home = get("console/", cookie);
        assertEquals(200, home.statusCode());
        assertTrue(home.body().contains("<td>" + ServerMetrics.REFUSED + "DEVICE_LIMIT_REACHED</td><td>0</td>"), home.body());
        Matcher csrf = CSRF.matcher(home.body());
        assertTrue(csrf.find());

        assertEquals(303, post("console/logout", cookie, "csrf=" + encode(csrf.group(1)), null).statusCode());
        assertEquals(303, get("console/", cookie).statusCode(), "back to the log-in");
    }

    @Test
    void aWrongPasswordGetsNoCookieAndPagesNeedALogIn() throws Exception {
        HttpResponse<String> wrong = post("console/login", null, "name=alice&password=" + encode("not the password"), null);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
        HttpResponse<String> page = get("console/license?kid=" + encode(FILM.toString()), null);
        assertEquals(303, page.statusCode());
        assertTrue(page.headers().firstValue("Location").orElseThrow().contains("/console/login?next="));
        assertFalse(page.body().contains("A Film"));
    }

    private String logIn() throws IOException, InterruptedException {
        HttpResponse<String> answer = post("console/login", null, "name=alice&password=" + encode(PASSWORD), null);
        assertEquals(303, answer.statusCode(), answer.body());
        String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, String form, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
