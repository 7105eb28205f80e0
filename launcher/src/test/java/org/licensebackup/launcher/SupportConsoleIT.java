package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.htmlunit.html.HtmlTableRow;
import org.htmlunit.util.Cookie;
import org.junit.jupiter.api.Test;

/**
 * The support console as support staff use it, through a real license server process and a headless
 * browser engine (HtmlUnit, with the console's script): a fifth device is refused at the device
 * limit and its user's support link opens the license in the console after a log-in; the operator
 * frees one device's slot with a reason, the audit shows it, and the fifth device's restore then
 * succeeds. A wrong password and a forged session cookie get nowhere; the metrics read as the
 * Prometheus text format and move with the restore; the health endpoints answer.
 */
class SupportConsoleIT extends ProcessTestSupport {

    private static final String PASSWORD = "correct horse battery staple";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anOperatorOpensARefusedUsersLinkFreesASlotAndTheFifthDeviceThenRestores() throws Exception {
        Origin origin = origin("support-console", 3);
        Path operators = origin.root().resolve("operators");
        Path passwordFile = origin.root().resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        succeed(origin.home("operator-setup"), List.of(), "operator", "add", operators.toString(), "alice", "--password-file",
                passwordFile.toString());
        assertTrue(!Files.readString(operators).contains(PASSWORD), "the operators file holds a hash, never the password");

        int operatorPort = freePort();
        String console = "http://127.0.0.1:" + operatorPort + "/console/license";
        try (ServerProcess server = serverFor(origin, "--operator-port", Integer.toString(operatorPort), "--operators",
                operators.toString(), "--support-url", console)) {
            assertEquals("http://127.0.0.1:" + operatorPort + "/", server.operatorUrl());
            assertEquals(200, get(server.operatorUrl() + "health/live").statusCode());
            assertEquals(200, get(server.operatorUrl() + "health/ready").statusCode());

            assertEquals(1, backUp(origin, server));
            for (int device = 1; device <= 4; device++) {
                restoreOn(origin.home("device-" + device), server, origin.backup());
            }
            Path fifth = origin.home("device-5");
            LauncherProcess.Result refused = refusedRestoreOn(fifth, server, origin.backup());
            String link = refused.lines().stream().filter(line -> line.contains("see " + console + "?kid="))
                    .map(line -> line.substring(line.indexOf("see ") + 4).strip()).findFirst()
                    .orElseThrow(() -> new AssertionError("no support link in " + refused.lines()));

            try (WebClient browser = browser()) {
                // the link leads to the log-in; a wrong password stays there
                HtmlPage login = browser.getPage(link);
                HtmlPage wrong = logIn(login, "alice", "not the password at all");
                assertEquals(401, wrong.getWebResponse().getStatusCode());
                assertNotNull(wrong.getElementById("login"));
                assertTrue(wrong.getElementById("error").getTextContent().contains("Wrong name or password"));
                assertTrue(browser.getCookieManager().getCookie("lms_console") == null, "no session for a wrong password");

                HtmlPage license = logIn(wrong, "alice", PASSWORD);
                assertEquals(200, license.getWebResponse().getStatusCode(), license.asNormalizedText());
                assertTrue(license.getUrl().toString().startsWith(link), license.getUrl().toString());
                Cookie session = browser.getCookieManager().getCookie("lms_console");
                assertTrue(session.isHttpOnly());
                assertEquals("0", license.getElementById("allowance").getTextContent());
                assertTrue(!license.getElementById("title").getTextContent().isBlank());
                HtmlTable holders = (HtmlTable) license.getElementById("holders");
                assertEquals(1 + 4, holders.getRowCount(), "a header and the four devices");

                // free the first device's slot, with a reason
                HtmlTableRow first = holders.getRow(1);
                String freedDevice = first.getCell(0).getTextContent();
                HtmlForm free = (HtmlForm) first.getCell(2).getElementsByTagName("form").get(0);
                free.getInputByName("reason").type("the user's old computer died (ticket 4711)");
                HtmlPage freed = free.getOneHtmlElementByAttribute("button", "type", "submit").click();
                assertEquals(200, freed.getWebResponse().getStatusCode(), freed.asNormalizedText());
                assertNotNull(freed.getElementById("notice"), freed.asNormalizedText());
                assertEquals("1", freed.getElementById("allowance").getTextContent());
                HtmlTable audit = (HtmlTable) freed.getElementById("audit");
                assertEquals(2, audit.getRowCount(), "a header and the one freeing");
                String row = audit.getRow(1).asNormalizedText();
                assertTrue(row.contains("alice") && row.contains("FREE_SLOT") && row.contains(freedDevice)
                        && row.contains("the user's old computer died (ticket 4711)"), row);

                // a forged session cookie opens nothing: the log-in again
                try (WebClient forger = browser()) {
                    forger.getCookieManager().addCookie(new Cookie("127.0.0.1", "lms_console", session.getValue().substring(1) + "A",
                            "/console/", null, false, true));
                    HtmlPage forged = forger.getPage(link);
                    assertNotNull(forged.getElementById("login"), forged.asNormalizedText());
                    assertTrue(forged.getElementById("holders") == null);
                }
            }

            PrometheusText before = metrics(server);
            assertEquals(1, before.value("lms_releases_total", Map.of("by", "operator")));
            assertTrue(before.value("lms_license_refusals_total", Map.of("reason", "DEVICE_LIMIT_REACHED")) >= 1);

            assertEquals(1, restored(restoreOn(fifth, server, origin.backup())));

            PrometheusText after = metrics(server);
            assertEquals("counter", after.type("lms_rebindings_total"));
            assertEquals(before.value("lms_rebindings_total", Map.of()) + 1, after.value("lms_rebindings_total", Map.of()));
            String rebind = "/lms/v1/sessions/{id}/rebindings";
            assertTrue(after.value("lms_requests_total", Map.of("endpoint", rebind, "status", "200"))
                    > before.value("lms_requests_total", Map.of("endpoint", rebind, "status", "200")));
            assertTrue(after.value("lms_request_duration_seconds_count", Map.of("endpoint", rebind))
                    > before.value("lms_request_duration_seconds_count", Map.of("endpoint", rebind)));
            assertEquals("histogram", after.type("lms_request_duration_seconds"));
            assertTrue(after.value("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
            assertTrue(after.has("lms_open_sessions") && after.has("lms_live_nonces") && after.has("lms_ledger_connections_active"));
        }
    }

    private static WebClient browser() {
        WebClient browser = new WebClient();
        browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
        browser.getOptions().setCssEnabled(false);
        browser.getOptions().setJavaScriptEnabled(true);
        return browser;
    }

    private static HtmlPage logIn(HtmlPage page, String name, String password) throws IOException {
        HtmlForm form = (HtmlForm) page.getElementById("login");
        form.getInputByName("name").type(name);
        form.getInputByName("password").type(password);
        return form.getOneHtmlElementByAttribute("button", "type", "submit").click();
    }

    private PrometheusText metrics(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> answer = get(server.operatorUrl() + "metrics");
        assertEquals(200, answer.statusCode());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(answer.body());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
