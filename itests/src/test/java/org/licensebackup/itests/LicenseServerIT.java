package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

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

/**
 * The license management server in Felix: its bundle and Jetty's resolve and start, and, once
 * configured, it answers HTTP with its signed keys.
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

    /** The server's bundle; its symbolic name is its configuration PID. */
    private Bundle serverBundle() {
        return Arrays.stream(bundleContext().getBundles()).filter(bundle -> SERVER_PID.equals(bundle.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError(SERVER_PID + " is not installed"));
    }
}
