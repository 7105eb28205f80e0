package org.licensebackup.lms.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.server.internal.LicenseServerComponent;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;

/** The HTTP client against a real server (Jetty on a free port) in this JVM. */
class HttpLicenseManagementClientTest {

    /** How often a server is started again on the port a stopped one had, 100 ms apart. */
    private static final int BIND_TRIES = 50;
    /** A format 2 backup's context for the service's file key: its label, then (here) a stand-in for its header. */
    private static final byte[] CONTEXT = "org.licensebackup backup v2 file key for the service\0backup header".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path folder;

    private final Issuer issuer = Issuer.generate("studio");
    private final DeviceIdentity origin = TestDevices.generate();
    private final List<LicenseServerComponent> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        for (LicenseServerComponent server : servers) {
            try {
                server.close();
            } catch (RuntimeException alreadyStopped) {
                // a test stopped it on purpose
            }
        }
    }

    @Test
    void aRestoreSessionOpensTheBackupAndReBindsItsLicensesToTheNewDevice() {
        LicenseServerComponent server = server("lms", 0);
        LicenseManagementService client = client(server, Base64.getEncoder().encodeToString(server.keys().signingKey()));
        byte[] contentKey = "sixteen byte key".getBytes(StandardCharsets.US_ASCII);
        License backedUp = issuer.issue(spec().withContentKey(contentKey), origin.deviceId(), origin.agreementPublicKey());
        byte[] fileKey = new byte[32];
        fileKey[31] = 9;
        DeviceIdentity newDevice = TestDevices.generate();

        try (RestoreSession session = client.connect(newDevice)) {
            assertEquals(server.keys(), session.serviceKeys());
            assertTrue(session.trusts(issuer.publicKey()));
            assertTrue(session.trusts(server.keys().signingKey()));
            assertArrayEquals(fileKey, session.unwrapFileKey(FileKeyWrap.wrap(fileKey, server.keys().agreementKey(), CONTEXT), CONTEXT));
            session.acceptDeviceKeyEscrow(origin.deviceId(), origin.escrowAgreementKey(server.keys().agreementKey()));
            assertEquals(List.of(new Allowance(backedUp.keyId(), 0, 4, false)), session.allowances(List.of(backedUp)), "the origin is not counted");

            License rebound = assertInstanceOf(Rebinding.Rebound.class, session.rebind(List.of(backedUp)).get(0)).license();
            session.commit();

            assertEquals(newDevice.deviceId(), rebound.grant().deviceId());
            assertArrayEquals(contentKey, newDevice.unwrapContentKey(rebound.grant().wrappedContentKey(), rebound.keyId().bytes()));
            assertTrue(Signatures.verify(server.keys().signingKey(), rebound.signedBytes(), rebound.signature()));
        }
        try (RestoreSession later = client.connect(TestDevices.generate())) {
            assertEquals(1, later.allowances(List.of(backedUp)).get(0).devicesUsed());
        }
        assertEquals(Set.of(backedUp.keyId()), client.release(newDevice, List.of(backedUp.keyId())));
        try (RestoreSession later = client.connect(TestDevices.generate())) {
            assertEquals(0, later.allowances(List.of(backedUp)).get(0).devicesUsed());
        }
    }

    @Test
    void batchesLargerThanTheServersLimitAreSplitAndAnsweredInOrder() {
        LicenseServerComponent server = server("lms", 0, Map.of("max.batch.licenses", 3));
        LicenseManagementService client = client(server, "");
        List<License> licenses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            licenses.add(issuer.issue(spec(), origin.deviceId(), origin.agreementPublicKey()));
        }

        try (RestoreSession session = client.connect(TestDevices.generate())) {
            session.acceptDeviceKeyEscrow(origin.deviceId(), origin.escrowAgreementKey(server.keys().agreementKey()));
            List<Rebinding> answers = session.rebind(licenses);

            assertEquals(licenses.stream().map(License::keyId).toList(), answers.stream().map(Rebinding::keyId).toList());
            answers.forEach(answer -> assertInstanceOf(Rebinding.Rebound.class, answer));
        }
    }

    @Test
    void aRequestWhoseAnswerWasLostIsSentAgainAndGetsTheSameAnswerWithoutBeingDoneTwice() throws IOException {
        LicenseServerComponent server = server("lms", 0, Map.of("device.limit", 2));
        License backedUp = issuer.issue(spec(), origin.deviceId(), origin.agreementPublicKey());
        try (LosingProxy proxy = new LosingProxy(server.uri(), "/rebindings")) {
            LicenseManagementService client = client(proxy.uri().toString(), "", Map.of());
            try (RestoreSession session = client.connect(TestDevices.generate())) {
                session.acceptDeviceKeyEscrow(origin.deviceId(), origin.escrowAgreementKey(server.keys().agreementKey()));
                int before = proxy.forwarded();

                Rebinding answer = session.rebind(List.of(backedUp)).get(0);

                assertEquals(2, proxy.forwarded() - before, "sent twice: the first answer was lost");
                assertInstanceOf(Rebinding.Rebound.class, answer);
                session.commit();
            }
        }
        try (RestoreSession later = client(server, "").connect(TestDevices.generate())) {
            assertEquals(1, later.allowances(List.of(backedUp)).get(0).devicesUsed(), "the retry reserved nothing more");
        }
    }

    @Test
    void aSessionWhoseOpeningAnswerWasLostOpensWithAFreshNonce() throws IOException {
        LicenseServerComponent server = server("lms", 0);
        try (LosingProxy proxy = new LosingProxy(server.uri(), "/sessions")) {
            LicenseManagementService client = client(proxy.uri().toString(), "", Map.of());
            try (RestoreSession session = client.connect(TestDevices.generate())) {
                assertTrue(session.trusts(issuer.publicKey()));
            }
        }
    }

    @Test
    void aServerStoppedMidSessionIsUnavailableAndNothingItReservedCounts() throws InterruptedException {
        LicenseServerComponent server = server("lms", 0);
        int port = server.uri().getPort();
        LicenseManagementService client = client(server, "");
        License backedUp = issuer.issue(spec(), origin.deviceId(), origin.agreementPublicKey());
        RestoreSession session = client.connect(TestDevices.generate());
        session.acceptDeviceKeyEscrow(origin.deviceId(), origin.escrowAgreementKey(server.keys().agreementKey()));
        assertInstanceOf(Rebinding.Rebound.class, session.rebind(List.of(backedUp)).get(0));

        server.close();

        LmsUnavailableException down = assertThrows(LmsUnavailableException.class, session::commit);
        assertTrue(down.getMessage().contains("cannot reach"), down.getMessage());
        session.close();
        LicenseServerComponent restarted = serverAgainOn("lms", port);
        try (RestoreSession later = client.connect(TestDevices.generate())) {
            assertEquals(0, later.allowances(List.of(backedUp)).get(0).devicesUsed());
        }
        assertEquals(server.keys(), restarted.keys());
    }

    @Test
    void anAnswerSignedByAnotherKeyThanThePinnedOneIsRefused() {
        LicenseServerComponent server = server("lms", 0);
        LicenseManagementService client = client(server, Base64.getEncoder().encodeToString(Signatures.generate().publicKey()));

        LmsUnavailableException refused = assertThrows(LmsUnavailableException.class, () -> client.connect(TestDevices.generate()));
        assertTrue(refused.getMessage().contains("key does not match"), refused.getMessage());
    }

    @Test
    void withoutAConfiguredKeyTheFirstServerKeyIsPinnedAndKeptForBackupsWhileTheServerIsDown() throws InterruptedException {
        LicenseServerComponent first = server("first", 0);
        int port = first.uri().getPort();
        LicenseManagementService client = client(first, "");
        assertEquals(first.keys(), client.keys());

        first.close();
        assertEquals(first.keys(), client.keys(), "the last authenticated keys serve while the server is down");

        serverAgainOn("impostor", port);
        LmsUnavailableException refused = assertThrows(LmsUnavailableException.class, () -> client.connect(TestDevices.generate()));
        assertTrue(refused.getMessage().contains("key does not match"), refused.getMessage());
        LicenseManagementService sameDeviceLater = client(first, "");
        assertThrows(LmsUnavailableException.class, () -> sameDeviceLater.connect(TestDevices.generate()));
    }

    @Test
    void whileTheServerIsDownEachRetryAndTheKeysFromTheLastTimeLeaveAWarning() throws Exception {
        LicenseServerComponent server = server("lms", 0);
        LicenseManagementService client = client(server, "");
        client.keys();
        List<String> warnings = new ArrayList<>();
        Field logger = HttpLicenseManagementClient.class.getDeclaredField("logger");
        logger.setAccessible(true);
        logger.set(client, Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("warn")) {
                        warnings.add(String.valueOf(arguments[arguments.length - 1]));
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                }));

        server.close();
        client.keys();

        assertEquals(2, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).contains("again (attempt 2 of 2)"), warnings.get(0));
        assertTrue(warnings.get(1).endsWith("; using the keys it last authenticated"), warnings.get(1));
    }

    @Test
    void aBackupNotMadeForThisServerIsRestoreFraud() {
        LicenseServerComponent server = server("lms", 0);
        LicenseManagementService client = client(server, "");

        try (RestoreSession session = client.connect(TestDevices.generate())) {
            assertThrows(RestoreFraudException.class, () -> session.acceptDeviceKeyEscrow(origin.deviceId(),
                    origin.escrowAgreementKey(org.licensebackup.crypto.KeyAgreement.generate().publicKey())));
            assertThrows(RestoreFraudException.class, () -> session.unwrapFileKey(
                    FileKeyWrap.wrap(new byte[32], org.licensebackup.crypto.KeyAgreement.generate().publicKey(), CONTEXT), CONTEXT));
        }
    }

    @Test
    void anUnreachableServerIsUnavailableWithAClearMessage() throws IOException {
        // bound for the whole test but never listening: the port is ours, and a connection to it is refused
        try (Socket nobodyListens = new Socket()) {
            nobodyListens.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int closedPort = nobodyListens.getLocalPort();
            LicenseManagementService client = client("http://127.0.0.1:" + closedPort + "/", "", Map.of());

            LmsUnavailableException unreachable = assertThrows(LmsUnavailableException.class, client::keys);
            assertTrue(unreachable.getMessage().contains("cannot reach the license management server at http://127.0.0.1:" + closedPort),
                    unreachable.getMessage());
            assertThrows(LmsUnavailableException.class, () -> client.connect(TestDevices.generate()));
        }
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsUnavailable() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // never answers
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            acceptor.start();
            LicenseManagementService client = client("http://127.0.0.1:" + silent.getLocalPort() + "/", "",
                    Map.of("request.timeout.ms", 200L));

            LmsUnavailableException slow = assertThrows(LmsUnavailableException.class, client::keys);
            assertTrue(slow.getMessage().contains("did not answer within 200 ms"), slow.getMessage());
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void httpsWithAKeyStoreMadeByKeytoolWorks() throws Exception {
        Path keyStore = folder.resolve("server.p12");
        Path certificate = folder.resolve("server.cer");
        Path trustStore = folder.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "lms", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "secret");
        keytool("-exportcert", "-alias", "lms", "-keystore", keyStore.toString(), "-storepass", "secret", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "lms", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", "trust-secret");
        LicenseServerComponent server = server("tls", 0, Map.of("tls.keystore", keyStore.toString(), ".tls.keystore.password", "secret"));
        assertEquals("https", server.uri().getScheme());

        LicenseManagementService client = client(server.uri().toString(), "",
                Map.of("tls.truststore", trustStore.toString(), ".tls.truststore.password", "trust-secret"));
        assertEquals(server.keys(), client.keys());
        try (RestoreSession session = client.connect(TestDevices.generate())) {
            assertTrue(session.trusts(issuer.publicKey()));
        }
        LicenseManagementService untrusting = client(server.uri().toString(), "", Map.of("trust.file", folder.resolve("other.keys").toString()));
        assertThrows(LmsUnavailableException.class, untrusting::keys);
    }

    @Test
    void aClientWithoutUrlOrWithABadKeyIsNotMade() {
        assertThrows(IllegalArgumentException.class, () -> client(" ", "", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> client("http://127.0.0.1:1/", "AAAA", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> client("ftp://127.0.0.1/", "", Map.of()));
    }

    // Helpers

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "keytool " + String.join(" ", arguments) + ": " + output);
    }

    private LicenseServerComponent server(String database, int port) {
        return server(database, port, Map.of());
    }

    /**
     * A server on the port that a stopped one had, as behind a URL that stays the same. In between,
     * another process may hold that port for a while (an outgoing connection gets its local port from
     * the same range as port 0): the start is tried again until it binds, for a few seconds.
     */
    private LicenseServerComponent serverAgainOn(String database, int port) throws InterruptedException {
        for (int tried = 1; ; tried++) {
            try {
                return server(database, port);
            } catch (IllegalStateException notStarted) {
                if (!isBindFailure(notStarted) || tried == BIND_TRIES) {
                    throw notStarted;
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private LicenseServerComponent server(String database, int port, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(more);
        values.put("port", port);
        values.put("database.path", folder.resolve(database).toString());
        values.put("trusted.issuer.keys", new String[] {Base64.getEncoder().encodeToString(issuer.publicKey())});
        LicenseServerComponent server = new LicenseServerComponent(null, configuration(LicenseServerComponent.Config.class, values),
                List.of(new org.h2.util.OsgiDataSourceFactory(org.h2.Driver.load())));
        servers.add(server);
        return server;
    }

    private LicenseManagementService client(LicenseServerComponent server, String serverKey) {
        return client(server.uri().toString(), serverKey, Map.of());
    }

    private LicenseManagementService client(String url, String serverKey, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>();
        values.put("url", url);
        values.put("server.key", serverKey);
        values.put("retries", 1);
        values.put("retry.backoff.ms", 10L);
        values.put("connect.timeout.ms", 2_000L);
        values.put("trust.file", folder.resolve("device").resolve("lms-server.keys").toString());
        values.putAll(more);
        return new HttpLicenseManagementClient(null, configuration(HttpLicenseManagementClient.Config.class, values));
    }

    private static LicenseSpec spec() {
        return LicenseSpec.of("Metropolis", Rights.unlimited().withBackupAllowed(true));
    }

    /** The component's configuration from {@code values} and its defaults, as SCR would hand it over. */
    private static <A> A configuration(Class<A> type, Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(type);
    }
}
