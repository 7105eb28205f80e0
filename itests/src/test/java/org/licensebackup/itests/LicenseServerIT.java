package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.protocol.AnswerSignatures;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.Messages;
import org.licensebackup.lms.server.LicenseServer;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The license management server in Felix: its bundle and Jetty's resolve and start, and, once
 * configured, it answers HTTP with its signed keys; its Gogo command {@code license:server}
 * configures and starts it, as an operator's console (or the launcher's {@code server}) does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LicenseServerIT extends LicenseBackupTestSupport {

    private static final String SERVER_PID = "org.licensebackup.lms.server";

    @Test
    public void theServerBundleIsActiveAndAnswersOverHttpWithItsSignedKeys() throws Exception {
        assertEquals(Bundle.ACTIVE, serverBundle().getState());

        // Port 0: a shared build machine may have anything on the default port.
        ServiceReference<?> reference = configure(SERVER_PID, Map.of("port", 0));
        LicenseServer server = (LicenseServer) bundleContext().getService(reference);
        try {
            URI keysUri = server.uri().resolve(Endpoints.KEYS);
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(keysUri).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertEquals(200, response.statusCode());
            assertEquals(server.keys(), Messages.KeysAnswer.decode(response.body()).keys());
            AnswerSignatures.verify(200, name -> response.headers().firstValue(name).orElse(null), response.body(), null,
                    server.keys().signingKey());
        } finally {
            bundleContext().ungetService(reference);
        }
    }

    @Test
    public void theServerRegistersAnInProcessServiceWithTheLowestRanking() {
        configure(SERVER_PID, Map.of("port", 0));
        LicenseServer server = awaitService(LicenseServer.class, DEFAULT_TIMEOUT);
        ServiceReference<LicenseManagementService> inProcess = awaitServiceReference(LicenseManagementService.class,
                "(" + Constants.SERVICE_BUNDLEID + "=" + serverBundle().getBundleId() + ")", DEFAULT_TIMEOUT);

        assertEquals(Integer.MIN_VALUE, inProcess.getProperty(Constants.SERVICE_RANKING));
        LicenseManagementService service = bundleContext().getService(inProcess);
        try {
            assertEquals(server.keys(), service.keys());
        } finally {
            bundleContext().ungetService(inProcess);
        }
    }

    @Test
    public void licenseServerStartsTheServerAndPrintsWhereItListensAndItsKey() throws Exception {
        CommandProcessor processor = awaitService(CommandProcessor.class, DEFAULT_TIMEOUT);
        ServiceTracker<Object, Object> command = new ServiceTracker<>(bundleContext(),
                bundleContext().createFilter("(&(osgi.command.scope=license)(osgi.command.function=server))"), null);
        command.open(true);
        assertNotNull("no license:server", command.waitForService(DEFAULT_TIMEOUT.toMillis()));
        command.close();
        Path info = Files.createTempDirectory("license-server").resolve("info/server.properties");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        try {
            session.put("info", info.toString());
            session.execute("license:server --port 0 --device-limit 2 --info $info");
        } finally {
            session.close();
        }

        LicenseServer server = awaitService(LicenseServer.class, "(device.limit=2)", DEFAULT_TIMEOUT);
        String key = Base64.getEncoder().encodeToString(server.keys().signingKey());
        Properties written = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            written.load(in);
        }
        assertEquals(server.uri().toString(), written.getProperty("url"));
        assertEquals(key, written.getProperty("key"));
        // the operator's listener (health, metrics, console): on the loopback address, a free port as the server's is
        String operator = written.getProperty("operator.url");
        assertTrue(operator, operator.matches("http://127\\.0\\.0\\.1:[0-9]+/"));
        assertEquals("license management server listening at " + server.uri() + "\n"
                + "its key (give it to devices: connect URL KEY): " + key + "\n"
                + "health, metrics and support console (for operators): " + operator + "\n", out.toString(StandardCharsets.UTF_8));
    }

    /** The server's bundle; its symbolic name is its configuration PID. */
    private Bundle serverBundle() {
        return Arrays.stream(bundleContext().getBundles()).filter(bundle -> SERVER_PID.equals(bundle.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(SERVER_PID + " is not installed"));
    }
}
