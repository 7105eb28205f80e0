package org.licensebackup.lms.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.licensebackup.crypto.Signatures;
import org.licensebackup.lms.protocol.StructuredFields.Item;

/**
 * How a device signs its requests with its Ed25519 key, and how the server checks them: an RFC 9421
 * signature labelled {@value #LABEL} over {@code "@method"}, {@code "@path"} and
 * {@code "content-digest"}, with {@code keyid} = the device ID and {@code alg="ed25519"}, plus either
 * a server-issued single-use {@code nonce} parameter (requests that open a session or release
 * licenses) or, inside a session, the covered headers {@value #LANE_HEADER} and {@value #SEQUENCE_HEADER}.
 */
public final class RequestSignatures {

    /** The label of the protocol's signature in {@code Signature-Input} and {@code Signature}. */
    public static final String LABEL = "lms";
    public static final String ALGORITHM = "ed25519";
    /** The header with the lane of a session that a request goes in: 0 to {@link Limits#MAX_LANES} - 1. */
    public static final String LANE_HEADER = "lms-lane";
    /** The header with a request's sequence number in its session's lane: 1, 2, 3, ... */
    public static final String SEQUENCE_HEADER = "lms-sequence";

    private static final List<String> NONCE_COMPONENTS = List.of("@method", "@path", ContentDigest.HEADER);
    private static final List<String> SESSION_COMPONENTS = List.of("@method", "@path", ContentDigest.HEADER, LANE_HEADER, SEQUENCE_HEADER);

    private RequestSignatures() {
    }

    /** How a request is kept from being replayed. */
    public sealed interface Freshness {
    }

    /** A request outside a session, made fresh by a nonce the server issued for it. */
    public record ByNonce(String nonce) implements Freshness {
        public ByNonce {
            Objects.requireNonNull(nonce, "nonce");
        }
    }

    /** A request in a session, made fresh by its sequence number in its lane. */
    public record InSession(int lane, long sequence) implements Freshness {
        public InSession {
            if (lane < 0 || lane >= Limits.MAX_LANES) {
                throw new IllegalArgumentException("lanes are numbered 0 to " + (Limits.MAX_LANES - 1) + ", not " + lane);
            }
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence numbers start at 1, not " + sequence);
            }
        }
    }

    /**
     * The headers that sign a request: {@code content-digest}, {@code signature-input},
     * {@code signature}, and {@value #LANE_HEADER} and {@value #SEQUENCE_HEADER} in a session. Names are lowercase.
     *
     * @param signer signs the signature base with the device's Ed25519 key
     */
    public static Map<String, String> sign(String method, String path, byte[] body, String deviceId,
            Freshness freshness, UnaryOperator<byte[]> signer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ContentDigest.HEADER, ContentDigest.of(body));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("keyid", deviceId);
        parameters.put("alg", ALGORITHM);
        List<String> components;
        if (freshness instanceof ByNonce byNonce) {
            parameters.put("nonce", byNonce.nonce());
            components = NONCE_COMPONENTS;
        } else {
            InSession inSession = (InSession) freshness;
            headers.put(LANE_HEADER, Integer.toString(inSession.lane()));
            headers.put(SEQUENCE_HEADER, Long.toString(inSession.sequence()));
            components = SESSION_COMPONENTS;
        }
        SignatureInput input = new SignatureInput(components.stream().map(SignatureInput::component).toList(), parameters);
        String base = input.signatureBase(component -> requestComponent(component, method, path, headers::get));
        byte[] signature = signer.apply(base.getBytes(StandardCharsets.UTF_8));
        headers.put(SignatureInput.SIGNATURE_INPUT_HEADER, LABEL + "=" + input.serialize());
        headers.put(SignatureInput.SIGNATURE_HEADER, LABEL + "=" + StructuredFields.serializeBareItem(signature));
        return headers;
    }

    /**
     * Reads a request's signature without yet knowing the key to check it with (the body or the
     * session tells that): the form, the covered components, the body's digest.
     *
     * @param header a header's value by lowercase name, or null
     * @param inSession whether the endpoint is in a session (sequence) or not (nonce)
     * @throws ProtocolException NOT_AUTHENTICATED for a missing, malformed or incomplete signature or
     *     a body that does not match its digest; BAD_REQUEST for a malformed lane or sequence number
     */
    public static ReceivedSignature read(String method, String path, Function<String, String> header, byte[] body,
            boolean inSession) {
        String inputHeader = header.apply(SignatureInput.SIGNATURE_INPUT_HEADER);
        String signatureHeader = header.apply(SignatureInput.SIGNATURE_HEADER);
        if (inputHeader == null || signatureHeader == null) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the request carries no Signature-Input and Signature");
        }
        SignatureInput input = SignatureInput.parse(inputHeader, LABEL);
        List<String> expected = (inSession ? SESSION_COMPONENTS : NONCE_COMPONENTS).stream()
                .map(name -> StructuredFields.serialize(SignatureInput.component(name))).toList();
        if (!input.componentIdentifiers().equals(expected)) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED,
                    "the signature must cover exactly " + String.join(" ", expected) + ", not " + input.componentIdentifiers());
        }
        if (!input.stringParameter("alg").equals(Optional.of(ALGORITHM))) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the signature's alg must be \"" + ALGORITHM + "\"");
        }
        String keyId = input.stringParameter("keyid").orElseThrow(
                () -> new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the signature has no keyid"));
        Optional<String> nonce = input.stringParameter("nonce");
        if (inSession == nonce.isPresent()) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, inSession
                    ? "a request in a session carries no nonce" : "the signature has no nonce");
        }
        Optional<InSession> position = Optional.empty();
        if (inSession) {
            position = Optional.of(new InSession(parseLane(header.apply(LANE_HEADER)), parseSequence(header.apply(SEQUENCE_HEADER))));
        }
        String digest = header.apply(ContentDigest.HEADER);
        if (digest == null || !ContentDigest.matches(digest, body)) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the body does not match its Content-Digest");
        }
        byte[] signature = SignatureInput.parseSignature(signatureHeader, LABEL);
        String base = input.signatureBase(component -> requestComponent(component, method, path, header));
        return new ReceivedSignature(keyId, nonce, position, base.getBytes(StandardCharsets.UTF_8), signature);
    }

    private static int parseLane(String value) {
        if (value == null || value.length() != 1 || value.charAt(0) < '0' || value.charAt(0) - '0' >= Limits.MAX_LANES) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, LANE_HEADER + " must be a lane from 0 to " + (Limits.MAX_LANES - 1));
        }
        return value.charAt(0) - '0';
    }

    private static long parseSequence(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, SEQUENCE_HEADER + " must be a positive decimal number");
        }
        long sequence = Long.parseLong(value);
        if (sequence < 1) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, SEQUENCE_HEADER + " starts at 1");
        }
        return sequence;
    }

    /** The value of a component of a request; only plain names, derived or header ones, are allowed. */
    static String requestComponent(Item component, String method, String path, Function<String, String> header) {
        if (!component.parameters().isEmpty()) {
            return null;
        }
        String name = (String) component.value();
        return switch (name) {
            case "@method" -> method.toUpperCase(java.util.Locale.ROOT);
            case "@path" -> path;
            default -> name.startsWith("@") ? null : trimmed(header.apply(name));
        };
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }

    /**
     * A request's signature as read, to check against the key of the device it claims.
     *
     * @param keyId the device ID the request claims
     * @param nonce the nonce, outside a session
     * @param position the lane and sequence number, in a session
     * @param signatureBase the bytes signed
     * @param signature the signature's 64 bytes
     */
    public record ReceivedSignature(String keyId, Optional<String> nonce, Optional<InSession> position, byte[] signatureBase,
            byte[] signature) {

        /** @throws ProtocolException NOT_AUTHENTICATED unless {@code deviceSigningKey} made the signature */
        public void verify(byte[] deviceSigningKey) {
            if (!Signatures.verify(deviceSigningKey, signatureBase, signature)) {
                throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the request's signature does not verify with the key of device " + keyId);
            }
        }
    }
}
