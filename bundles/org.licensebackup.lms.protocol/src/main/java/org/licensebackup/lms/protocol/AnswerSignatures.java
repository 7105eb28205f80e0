package org.licensebackup.lms.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.lms.protocol.StructuredFields.Item;

/**
 * How the server signs every answer with its Ed25519 key and how a device checks it: an RFC 9421
 * signature labelled {@value RequestSignatures#LABEL} over {@code "@status"},
 * {@code "content-digest"} and, for an answer to a signed request, that request's signature
 * ({@code "signature";req;key="lms"}), so an answer cannot be moved to another request. Its
 * {@code keyid} is the server's signing key in base64url.
 */
public final class AnswerSignatures {

    private static final Item REQUEST_SIGNATURE = new Item(SignatureInput.SIGNATURE_HEADER,
            orderedParameters("req", Boolean.TRUE, "key", RequestSignatures.LABEL));

    private AnswerSignatures() {
    }

    /**
     * The headers that sign an answer: {@code content-digest}, {@code signature-input},
     * {@code signature}.
     *
     * @param requestSignature the signature of the request answered, or null for an unsigned request
     */
    public static Map<String, String> sign(int status, byte[] body, byte[] requestSignature, RawKeyPair serverSigningKeys) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ContentDigest.HEADER, ContentDigest.of(body));
        SignatureInput input = input(requestSignature != null, keyIdOf(serverSigningKeys.publicKey()));
        String base = input.signatureBase(component -> answerComponent(component, status, headers::get, requestSignature));
        byte[] signature = Signatures.sign(serverSigningKeys, base.getBytes(StandardCharsets.UTF_8));
        headers.put(SignatureInput.SIGNATURE_INPUT_HEADER, RequestSignatures.LABEL + "=" + input.serialize());
        headers.put(SignatureInput.SIGNATURE_HEADER, RequestSignatures.LABEL + "=" + StructuredFields.serializeBareItem(signature));
        return headers;
    }

    /**
     * Checks that the server holding {@code serverSigningKey} made this answer to this request.
     *
     * @throws ProtocolException NOT_AUTHENTICATED when it did not
     */
    public static void verify(int status, Function<String, String> header, byte[] body, byte[] requestSignature,
            byte[] serverSigningKey) {
        String keyId = signerKeyId(header, requestSignature);
        if (!keyId.equals(keyIdOf(serverSigningKey))) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the answer is signed by key " + printed(keyId)
                    + ", not by the server's key " + Base64.getEncoder().encodeToString(serverSigningKey));
        }
        String digest = header.apply(ContentDigest.HEADER);
        if (digest == null || !ContentDigest.matches(digest, body)) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the answer's body does not match its Content-Digest");
        }
        SignatureInput input = input(requestSignature != null, keyId);
        String base = input.signatureBase(component -> answerComponent(component, status, header, requestSignature));
        byte[] signature = SignatureInput.parseSignature(header.apply(SignatureInput.SIGNATURE_HEADER), RequestSignatures.LABEL);
        if (!Signatures.verify(serverSigningKey, base.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the answer's signature does not verify with the server's key");
        }
    }

    /**
     * The key ID an answer claims to be signed by, after checking that its signature covers what the
     * protocol requires; a device that trusts on first use learns the server's key from it.
     */
    public static String signerKeyId(Function<String, String> header, byte[] requestSignature) {
        String inputHeader = header.apply(SignatureInput.SIGNATURE_INPUT_HEADER);
        if (inputHeader == null || header.apply(SignatureInput.SIGNATURE_HEADER) == null) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the answer is not signed");
        }
        SignatureInput received = SignatureInput.parse(inputHeader, RequestSignatures.LABEL);
        SignatureInput expected = input(requestSignature != null, "");
        if (!received.componentIdentifiers().equals(expected.componentIdentifiers())
                || !received.stringParameter("alg").equals(Optional.of(RequestSignatures.ALGORITHM))) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the answer's signature must cover "
                    + expected.componentIdentifiers() + " with alg \"ed25519\"");
        }
        return received.stringParameter("keyid").orElseThrow(
                () -> new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the answer's signature has no keyid"));
    }

    /** The {@code keyid} of a server signing key: the key in base64url without padding. */
    public static String keyIdOf(byte[] serverSigningKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(serverSigningKey);
    }

    /**
     * A {@code keyid} as keys are printed for people (standard base64 with padding, as {@code connect}
     * takes them), so that the two keys of a refusal compare at a glance; as it came when it is no key.
     */
    private static String printed(String keyId) {
        try {
            return Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(keyId));
        } catch (IllegalArgumentException notBase64url) {
            return keyId;
        }
    }

    private static SignatureInput input(boolean coversRequest, String keyId) {
        List<Item> components = new ArrayList<>(List.of(SignatureInput.component("@status"), SignatureInput.component(ContentDigest.HEADER)));
        if (coversRequest) {
            components.add(REQUEST_SIGNATURE);
        }
        return new SignatureInput(components, orderedParameters("keyid", keyId, "alg", RequestSignatures.ALGORITHM));
    }

    private static String answerComponent(Item component, int status, Function<String, String> header, byte[] requestSignature) {
        String name = (String) component.value();
        if (component.equals(REQUEST_SIGNATURE)) {
            // RFC 9421 section 2.4: the request's Signature member, serialized as the byte sequence it is.
            return StructuredFields.serializeBareItem(requestSignature);
        }
        if (!component.parameters().isEmpty()) {
            return null;
        }
        if (name.equals("@status")) {
            return Integer.toString(status);
        }
        String value = name.startsWith("@") ? null : header.apply(name);
        return value == null ? null : value.strip();
    }

    private static Map<String, Object> orderedParameters(String firstName, Object firstValue, String secondName, Object secondValue) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(firstName, firstValue);
        parameters.put(secondName, secondValue);
        return parameters;
    }
}
