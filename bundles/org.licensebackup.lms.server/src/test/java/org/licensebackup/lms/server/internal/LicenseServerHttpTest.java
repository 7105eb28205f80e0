package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.lms.protocol.AnswerSignatures;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.Endpoints.SessionAction;
import org.licensebackup.lms.protocol.ErrorBody;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.protocol.Messages;
import org.licensebackup.lms.protocol.RequestSignatures;
import org.licensebackup.lms.protocol.RequestSignatures.ByNonce;
import org.licensebackup.lms.protocol.RequestSignatures.InSession;
import org.licensebackup.lms.protocol.SignatureInput;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;

/** The server's protocol over real HTTP, spoken by hand: every breach gets its typed, signed error. */
class LicenseServerHttpTest {

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newHttpClient();
    private final DeviceIdentity device = TestDevices.generate();
    private LicenseServerComponent server;

    /** An answer, its signature checked against the server's key for the request it answers. */
    private record Answer(int status, byte[] body) {
        ErrorCode error() {
            return ErrorBody.decode(body).code();
        }
    }

    @BeforeEach
    void start() {
        server = new LicenseServerComponent(null, configuration(LicenseServerComponent.Config.class,
                Map.of("port", 0, "database.path", folder.resolve("lms").toString())), H2Drivers.h2());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void itsStartIsLoggedWithWhereItListensAndItsKeyOnceALogServiceIsBound() throws Exception {
        List<List<Object>> infos = new ArrayList<>();
        Field logger = LicenseServerComponent.class.getDeclaredField("logger");
        logger.setAccessible(true);
        logger.set(server, Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("info")) {
                        infos.add(List.of((Object[]) arguments[1]));
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                }));

        server.logStarted();

        assertEquals(List.of(List.of(server.uri(), Base64.getEncoder().encodeToString(server.keys().signingKey()), 4)), infos);
    }

    @Test
    void theKeysAnswerIsSignedByTheKeyItAnnounces() throws Exception {
        Answer answer = send("GET", Endpoints.KEYS, new byte[0], Map.of(), null);

        assertEquals(200, answer.status());
        assertEquals(server.keys(), Messages.KeysAnswer.decode(answer.body()).keys());
        assertTrue(server.uri().toString().startsWith("http://127.0.0.1:"));
    }

    @Test
    void aNonceOpensOneSessionAndNoMore() throws Exception {
        byte[] open = openSessionBody();
        Map<String, String> headers = RequestSignatures.sign("POST", Endpoints.SESSIONS, open, device.deviceId(), new ByNonce(nonce()), device::sign);

        assertEquals(200, send("POST", Endpoints.SESSIONS, open, headers, signatureOf(headers)).status());
        Answer replayed = send("POST", Endpoints.SESSIONS, open, headers, signatureOf(headers));

        assertEquals(409, replayed.status());
        assertEquals(ErrorCode.REPLAYED, replayed.error());
    }

    @Test
    void aDeviceIdThatIsNotTheOneOfThePresentedKeysIsNotAuthenticated() throws Exception {
        DeviceIdentity other = TestDevices.generate();
        byte[] open = openSessionBody();
        Map<String, String> headers = RequestSignatures.sign("POST", Endpoints.SESSIONS, open, other.deviceId(), new ByNonce(nonce()), other::sign);

        Answer answer = send("POST", Endpoints.SESSIONS, open, headers, signatureOf(headers));
        assertEquals(401, answer.status());
        assertEquals(ErrorCode.NOT_AUTHENTICATED, answer.error());
    }

    @Test
    void aRetriedRequestGetsTheRecordedAnswerAndAReusedOrSkippedSequenceIsRefused() throws Exception {
        String sessionId = openSession();
        String path = SessionAction.ALLOWANCES.path(sessionId);
        byte[] empty = new Messages.LicenseBatch(java.util.List.of()).encode();
        Map<String, String> first = sign(path, empty, 1);

        Answer answer = send("POST", path, empty, first, signatureOf(first));
        Answer retried = send("POST", path, empty, first, signatureOf(first));
        assertEquals(200, answer.status());
        assertArrayEquals(answer.body(), retried.body());

        byte[] other = {0, 0, 0, 0};
        Map<String, String> reused = sign(path, new byte[] {0, 0, 0, 0, 0}, 1);
        assertEquals(ErrorCode.REPLAYED, send("POST", path, new byte[] {0, 0, 0, 0, 0}, reused, signatureOf(reused)).error());
        Map<String, String> skipped = sign(path, other, 3);
        Answer skippedAnswer = send("POST", path, other, skipped, signatureOf(skipped));
        assertEquals(409, skippedAnswer.status());
        assertEquals(ErrorCode.OUT_OF_ORDER, skippedAnswer.error());
        Map<String, String> next = sign(path, other, 2);
        assertEquals(200, send("POST", path, other, next, signatureOf(next)).status());
    }

    @Test
    void eachLaneOfASessionKeepsASequenceOfItsOwnAndTheirRequestsRunAtOnce() throws Exception {
        String sessionId = openSession();
        String path = SessionAction.ALLOWANCES.path(sessionId);
        byte[] empty = new Messages.LicenseBatch(java.util.List.of()).encode();

        java.util.List<java.util.concurrent.Callable<Answer>> firstOfEachLane = new java.util.ArrayList<>();
        for (int lane = 0; lane < Limits.MAX_LANES; lane++) {
            Map<String, String> headers = sign(path, empty, lane, 1);
            firstOfEachLane.add(() -> send("POST", path, empty, headers, signatureOf(headers)));
        }
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(Limits.MAX_LANES);
        try {
            for (java.util.concurrent.Future<Answer> answer : senders.invokeAll(firstOfEachLane)) {
                assertEquals(200, answer.get().status());
            }
        } finally {
            senders.shutdownNow();
        }

        Map<String, String> reusedInLane2 = sign(path, new byte[] {0, 0, 0, 0, 0}, 2, 1);
        assertEquals(ErrorCode.REPLAYED, send("POST", path, new byte[] {0, 0, 0, 0, 0}, reusedInLane2, signatureOf(reusedInLane2)).error());
        Map<String, String> secondInLane3 = sign(path, empty, 3, 2);
        assertEquals(200, send("POST", path, empty, secondInLane3, signatureOf(secondInLane3)).status());
        Map<String, String> skippedInLane1 = sign(path, empty, 1, 3);
        assertEquals(ErrorCode.OUT_OF_ORDER, send("POST", path, empty, skippedInLane1, signatureOf(skippedInLane1)).error());
        Map<String, String> noSuchLane = new HashMap<>(sign(path, empty, 1, 2));
        noSuchLane.put(RequestSignatures.LANE_HEADER, Integer.toString(Limits.MAX_LANES));
        assertEquals(ErrorCode.BAD_REQUEST, send("POST", path, empty, noSuchLane, signatureOf(noSuchLane)).error());
    }

    @Test
    void tamperingWithTheBodyOrSigningWithAnotherKeyIsNotAuthenticated() throws Exception {
        String sessionId = openSession();
        String path = SessionAction.COMMIT.path(sessionId);
        Map<String, String> headers = sign(path, new byte[0], 1);

        assertEquals(ErrorCode.NOT_AUTHENTICATED, send("POST", path, new byte[] {1}, headers, signatureOf(headers)).error());
        DeviceIdentity intruder = TestDevices.generate();
        Map<String, String> intruding = RequestSignatures.sign("POST", path, new byte[0], device.deviceId(), new InSession(0, 1), intruder::sign);
        assertEquals(ErrorCode.NOT_AUTHENTICATED, send("POST", path, new byte[0], intruding, signatureOf(intruding)).error());
        Map<String, String> unsigned = Map.of();
        assertEquals(401, send("POST", path, new byte[0], unsigned, null).status());
    }

    @Test
    void oversizedMalformedUnknownAndWrongMethodRequestsGetTypedErrors() throws Exception {
        String sessionId = openSession();
        String path = SessionAction.REBIND.path(sessionId);

        byte[] tooBig = new byte[Limits.MAX_BODY_BYTES + 1];
        Map<String, String> big = sign(path, tooBig, 1);
        Answer tooLarge = send("POST", path, tooBig, big, signatureOf(big));
        assertEquals(413, tooLarge.status());
        assertEquals(ErrorCode.TOO_LARGE, tooLarge.error());

        byte[] manyLicenses = ByteBuffer.allocate(4).putInt(Limits.MAX_BATCH_LICENSES + 1).array();
        Map<String, String> many = sign(path, manyLicenses, 1);
        assertEquals(ErrorCode.TOO_LARGE, send("POST", path, manyLicenses, many, signatureOf(many)).error());

        byte[] garbage = {0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 3};
        Map<String, String> malformed = sign(path, garbage, 2);
        Answer malformedAnswer = send("POST", path, garbage, malformed, signatureOf(malformed));
        assertEquals(400, malformedAnswer.status());
        assertEquals(ErrorCode.MALFORMED_BODY, malformedAnswer.error());
        // The refused request took its turn: sent again it gets the same refusal, and the next number goes on.
        assertArrayEquals(malformedAnswer.body(), send("POST", path, garbage, malformed, signatureOf(malformed)).body());
        byte[] emptyBatch = {0, 0, 0, 0};
        Map<String, String> next = sign(path, emptyBatch, 3);
        assertEquals(200, send("POST", path, emptyBatch, next, signatureOf(next)).status());

        String unknownSession = SessionAction.COMMIT.path("AAAAAAAAAAAAAAAAAAAAAA");
        Map<String, String> unknown = sign(unknownSession, new byte[0], 1);
        assertEquals(404, send("POST", unknownSession, new byte[0], unknown, signatureOf(unknown)).status());
        assertEquals(ErrorCode.NOT_FOUND, send("GET", "/lms/v1/nothing", new byte[0], Map.of(), null).error());
        assertEquals(ErrorCode.METHOD_NOT_ALLOWED, send("GET", Endpoints.NONCES, new byte[0], Map.of(), null).error());
    }

    // Helpers

    private String openSession() throws Exception {
        byte[] open = openSessionBody();
        Map<String, String> headers = RequestSignatures.sign("POST", Endpoints.SESSIONS, open, device.deviceId(), new ByNonce(nonce()), device::sign);
        Answer answer = send("POST", Endpoints.SESSIONS, open, headers, signatureOf(headers));
        assertEquals(200, answer.status());
        return Messages.SessionOpened.decode(answer.body()).sessionId();
    }

    private byte[] openSessionBody() {
        return new Messages.OpenSession(new Messages.DeviceKeys(device.signingPublicKey(), device.agreementPublicKey())).encode();
    }

    private String nonce() throws Exception {
        return Messages.NonceAnswer.decode(send("POST", Endpoints.NONCES, new byte[0], Map.of(), null).body()).nonce();
    }

    private Map<String, String> sign(String path, byte[] body, long sequence) {
        return sign(path, body, 0, sequence);
    }

    private Map<String, String> sign(String path, byte[] body, int lane, long sequence) {
        return RequestSignatures.sign("POST", path, body, device.deviceId(), new InSession(lane, sequence), device::sign);
    }

    private static byte[] signatureOf(Map<String, String> headers) {
        return SignatureInput.parseSignature(headers.get(SignatureInput.SIGNATURE_HEADER), RequestSignatures.LABEL);
    }

    private Answer send(String method, String path, byte[] body, Map<String, String> headers, byte[] requestSignature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(URI.create(path)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> answerHeaders = new HashMap<>();
        response.headers().map().forEach((name, values) -> answerHeaders.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        AnswerSignatures.verify(response.statusCode(), answerHeaders::get, response.body(), requestSignature, server.keys().signingKey());
        return new Answer(response.statusCode(), response.body());
    }

    /** The component's configuration from {@code values} and its defaults, as SCR would hand it over. */
    private static <A> A configuration(Class<A> type, Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(type);
    }
}
