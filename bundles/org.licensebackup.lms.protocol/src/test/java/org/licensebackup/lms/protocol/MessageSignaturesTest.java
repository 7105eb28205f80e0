package org.licensebackup.lms.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.lms.protocol.RequestSignatures.ByNonce;
import org.licensebackup.lms.protocol.RequestSignatures.InSession;
import org.licensebackup.lms.protocol.RequestSignatures.ReceivedSignature;

class MessageSignaturesTest {

    /** RFC 9421 appendix B.1.4, test-key-ed25519: the private key's seed and the public key. */
    private static final byte[] RFC_PRIVATE_KEY = Base64.getUrlDecoder().decode("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU");
    private static final byte[] RFC_PUBLIC_KEY = Base64.getUrlDecoder().decode("JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs");
    private static final String RFC_B26_INPUT = "sig-b26=(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" "
            + "\"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
    private static final String RFC_B26_BASE = """
            "date": Tue, 20 Apr 2021 02:07:55 GMT
            "@method": POST
            "@path": /foo
            "@authority": example.com
            "content-type": application/json
            "content-length": 18
            "@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519\"""";
    private static final String RFC_B26_SIGNATURE = "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:";

    private final RawKeyPair deviceSigning = Signatures.generate();
    private final String deviceId = DeviceIdentity.deviceIdOf(deviceSigning.publicKey(), new byte[32]);
    private final RawKeyPair server = Signatures.generate();
    private final byte[] body = "batch".getBytes(StandardCharsets.UTF_8);

    @Test
    void buildsTheSignatureBaseOfRfc9421ExampleB26AndItsEd25519Signature() {
        SignatureInput input = SignatureInput.parse(RFC_B26_INPUT, "sig-b26");
        Map<String, String> message = Map.of("date", "Tue, 20 Apr 2021 02:07:55 GMT", "@method", "POST", "@path", "/foo",
                "@authority", "example.com", "content-type", "application/json", "content-length", "18");

        String base = input.signatureBase(component -> message.get((String) component.value()));

        assertEquals(RFC_B26_BASE, base);
        assertEquals(RFC_B26_INPUT, "sig-b26=" + input.serialize());
        byte[] expected = SignatureInput.parseSignature(RFC_B26_SIGNATURE, "sig-b26");
        assertArrayEquals(expected, Signatures.sign(Signatures.fromPrivateKey(RFC_PRIVATE_KEY), base.getBytes(StandardCharsets.UTF_8)));
        assertTrue(Signatures.verify(RFC_PUBLIC_KEY, base.getBytes(StandardCharsets.UTF_8), expected));
    }

    @Test
    void contentDigestIsRfc9530Sha256() {
        assertEquals("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                ContentDigest.of("{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ContentDigest.matches("sha-512=:AAAA:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8)));
        assertFalse(ContentDigest.matches("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", new byte[0]));
    }

    @Test
    void aSessionRequestSignedByTheDeviceVerifiesWithItsKey() {
        Map<String, String> headers = signInSession("POST", "/lms/v1/sessions/x/rebindings", 2, 7);

        ReceivedSignature received = RequestSignatures.read("POST", "/lms/v1/sessions/x/rebindings", headers::get, body, true);

        assertEquals(deviceId, received.keyId());
        assertEquals(new InSession(2, 7), received.position().orElseThrow());
        assertDoesNotThrow(() -> received.verify(deviceSigning.publicKey()));
        assertTrue(headers.get("signature-input").startsWith(
                "lms=(\"@method\" \"@path\" \"content-digest\" \"lms-lane\" \"lms-sequence\");keyid=\"" + deviceId + "\";alg=\"ed25519\""));
    }

    @Test
    void aTamperedBodyIsRefused() {
        Map<String, String> headers = signInSession("POST", "/p", 1);

        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/p", headers::get, "other".getBytes(StandardCharsets.UTF_8), true));
    }

    @Test
    void aTamperedBodyWithAMatchingDigestDoesNotVerify() {
        Map<String, String> headers = new HashMap<>(signInSession("POST", "/p", 1));
        byte[] other = "other".getBytes(StandardCharsets.UTF_8);
        headers.put(ContentDigest.HEADER, ContentDigest.of(other));

        ReceivedSignature received = RequestSignatures.read("POST", "/p", headers::get, other, true);
        assertNotAuthenticated(() -> received.verify(deviceSigning.publicKey()));
    }

    @Test
    void anotherPathMethodLaneOrSequenceDoesNotVerify() {
        Map<String, String> headers = signInSession("POST", "/lms/v1/sessions/a/commit", 3);
        Map<String, String> laterSequence = new HashMap<>(headers);
        laterSequence.put(RequestSignatures.SEQUENCE_HEADER, "4");
        Map<String, String> otherLane = new HashMap<>(headers);
        otherLane.put(RequestSignatures.LANE_HEADER, "1");

        for (ReceivedSignature moved : List.of(
                RequestSignatures.read("POST", "/lms/v1/sessions/b/commit", headers::get, body, true),
                RequestSignatures.read("PUT", "/lms/v1/sessions/a/commit", headers::get, body, true),
                RequestSignatures.read("POST", "/lms/v1/sessions/a/commit", laterSequence::get, body, true),
                RequestSignatures.read("POST", "/lms/v1/sessions/a/commit", otherLane::get, body, true))) {
            assertNotAuthenticated(() -> moved.verify(deviceSigning.publicKey()));
        }
    }

    @Test
    void anotherKeyDoesNotVerify() {
        Map<String, String> headers = signInSession("POST", "/p", 1);

        ReceivedSignature received = RequestSignatures.read("POST", "/p", headers::get, body, true);
        assertNotAuthenticated(() -> received.verify(Signatures.generate().publicKey()));
    }

    @Test
    void aSignatureThatDoesNotCoverTheBodyTheLaneOrTheSequenceIsRefused() {
        Map<String, String> headers = signInSession("POST", "/p", 1);
        Map<String, String> narrowed = new HashMap<>(headers);
        narrowed.put("signature-input", headers.get("signature-input").replace(" \"lms-sequence\"", ""));
        Map<String, String> noLane = new HashMap<>(headers);
        noLane.put("signature-input", headers.get("signature-input").replace(" \"lms-lane\"", ""));
        Map<String, String> noDigest = new HashMap<>(headers);
        noDigest.put("signature-input", headers.get("signature-input").replace(" \"content-digest\"", ""));

        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/p", narrowed::get, body, true));
        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/p", noLane::get, body, true));
        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/p", noDigest::get, body, true));
    }

    @Test
    void aNonceRequestMustCarryItsNonceAndASessionRequestMustNot() {
        Map<String, String> byNonce = RequestSignatures.sign("POST", "/lms/v1/sessions", body, deviceId, new ByNonce("n-1"),
                message -> Signatures.sign(deviceSigning, message));

        ReceivedSignature received = RequestSignatures.read("POST", "/lms/v1/sessions", byNonce::get, body, false);
        assertEquals("n-1", received.nonce().orElseThrow());
        received.verify(deviceSigning.publicKey());
        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/lms/v1/sessions", byNonce::get, body, true));
        Map<String, String> inSession = signInSession("POST", "/p", 1);
        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/p", inSession::get, body, false));
    }

    @Test
    void missingOrMalformedSignatureHeadersAreTypedErrors() {
        Map<String, String> headers = signInSession("POST", "/p", 1);
        Map<String, String> noSignature = new HashMap<>(headers);
        noSignature.remove("signature");
        Map<String, String> garbled = new HashMap<>(headers);
        garbled.put("signature-input", "lms=(\"@method\" \"@path");
        Map<String, String> badSequence = new HashMap<>(headers);
        badSequence.put(RequestSignatures.SEQUENCE_HEADER, "-1");
        List<Map<String, String>> badLanes = new java.util.ArrayList<>();
        for (String lane : List.of("-1", Integer.toString(Limits.MAX_LANES), "01", "a", "")) {
            Map<String, String> badLane = new HashMap<>(headers);
            badLane.put(RequestSignatures.LANE_HEADER, lane);
            badLanes.add(badLane);
        }
        Map<String, String> noLane = new HashMap<>(headers);
        noLane.remove(RequestSignatures.LANE_HEADER);
        badLanes.add(noLane);

        assertNotAuthenticated(() -> RequestSignatures.read("POST", "/p", noSignature::get, body, true));
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ProtocolException.class,
                () -> RequestSignatures.read("POST", "/p", garbled::get, body, true)).code());
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ProtocolException.class,
                () -> RequestSignatures.read("POST", "/p", badSequence::get, body, true)).code());
        for (Map<String, String> badLane : badLanes) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ProtocolException.class,
                    () -> RequestSignatures.read("POST", "/p", badLane::get, body, true)).code(), badLane.get(RequestSignatures.LANE_HEADER));
        }
        assertThrows(IllegalArgumentException.class, () -> new InSession(Limits.MAX_LANES, 1));
        assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ProtocolException.class,
                () -> StructuredFields.parseDictionary("a=" + "1".repeat(Limits.MAX_HEADER_CHARS))).code());
    }

    @Test
    void anAnswerVerifiesOnlyWithTheServersKeyForTheRequestItAnswers() {
        byte[] requestSignature = SignatureInput.parseSignature(signInSession("POST", "/p", 1).get("signature"), "lms");
        byte[] otherRequestSignature = SignatureInput.parseSignature(signInSession("POST", "/p", 2).get("signature"), "lms");
        Map<String, String> answer = AnswerSignatures.sign(200, body, requestSignature, server);

        assertDoesNotThrow(() -> AnswerSignatures.verify(200, answer::get, body, requestSignature, server.publicKey()));
        assertNotAuthenticated(() -> AnswerSignatures.verify(200, answer::get, body, otherRequestSignature, server.publicKey()));
        assertNotAuthenticated(() -> AnswerSignatures.verify(404, answer::get, body, requestSignature, server.publicKey()));
        assertNotAuthenticated(() -> AnswerSignatures.verify(200, answer::get, new byte[1], requestSignature, server.publicKey()));
        assertNotAuthenticated(() -> AnswerSignatures.verify(200, answer::get, body, requestSignature, Signatures.generate().publicKey()));
        assertNotAuthenticated(() -> AnswerSignatures.verify(200, answer::get, body, null, server.publicKey()));
    }

    @Test
    void anAnswerSignedByAnotherKeyUnderTheServersKeyIdDoesNotVerify() {
        RawKeyPair impostor = Signatures.generate();
        Map<String, String> forged = new LinkedHashMap<>(AnswerSignatures.sign(200, body, null, impostor));
        forged.put("signature-input", forged.get("signature-input").replace(AnswerSignatures.keyIdOf(impostor.publicKey()),
                AnswerSignatures.keyIdOf(server.publicKey())));

        assertNotAuthenticated(() -> AnswerSignatures.verify(200, forged::get, body, null, server.publicKey()));
    }

    private Map<String, String> signInSession(String method, String path, long sequence) {
        return signInSession(method, path, 0, sequence);
    }

    private Map<String, String> signInSession(String method, String path, int lane, long sequence) {
        return RequestSignatures.sign(method, path, body, deviceId, new InSession(lane, sequence),
                message -> Signatures.sign(deviceSigning, message));
    }

    private static void assertNotAuthenticated(org.junit.jupiter.api.function.Executable executable) {
        assertEquals(ErrorCode.NOT_AUTHENTICATED, assertThrows(ProtocolException.class, executable).code());
    }
}
