package org.licensebackup.lms.server.internal;

import java.util.List;
import java.util.Set;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.protocol.AnswerSignatures;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.Endpoints.SessionCall;
import org.licensebackup.lms.protocol.ErrorBody;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.Messages;
import org.licensebackup.lms.protocol.ProtocolException;
import org.licensebackup.lms.protocol.RequestSignatures;
import org.licensebackup.lms.protocol.RequestSignatures.ReceivedSignature;
import org.licensebackup.lms.protocol.SignatureInput;
import org.licensebackup.lms.server.internal.Ledger.SessionRow;

/**
 * The protocol's server side without HTTP plumbing: checks a request's signature, nonce or sequence
 * number, has the engine do what it asks, and makes the signed answer. Thread-safe.
 */
final class RequestProcessor {

    /**
     * An answer: status, media type, body and the headers that sign it, and for a 429, in how many
     * seconds to try again.
     */
    record Answer(int status, String mediaType, byte[] body, Map<String, String> headers, Optional<Long> retryAfterSeconds) {
    }

    /**
     * Reports faults of the server itself, which the device only sees as INTERNAL, and requests
     * refused for the client's fault: those are no fault of the server's, one line at debug level.
     */
    interface FaultLog {
        void fault(String message, Throwable cause);

        void refused(String line);
    }

    private static final byte[] EMPTY = new byte[0];

    private final LicenseServerEngine engine;
    private final FaultLog faults;
    private final ServerActivity activity;

    RequestProcessor(LicenseServerEngine engine, FaultLog faults) {
        this(engine, faults, ServerActivity.NONE);
    }

    /** @param activity told of each answer and of the licenses re-bound, refused and released, for the operator's metrics */
    RequestProcessor(LicenseServerEngine engine, FaultLog faults, ServerActivity activity) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    /**
     * @param client the client's address, as refusals name it in the log
     * @param header a request header's value by lowercase name, or null
     */
    Answer process(String method, String path, String client, Function<String, String> header, byte[] body) {
        long start = System.nanoTime();
        Answer answer = answer(method, path, client, header, body);
        activity.answered(endpointOf(path), answer.status(), System.nanoTime() - start);
        return answer;
    }

    private Answer answer(String method, String path, String client, Function<String, String> header, byte[] body) {
        byte[] requestSignature = requestSignatureOf(header);
        byte[] answer;
        try {
            answer = dispatch(method, path, header, body, requestSignature);
        } catch (RuntimeException e) {
            ErrorBody error = errorOf(e);
            if (e instanceof ProtocolException) {
                faults.refused(error.code() + " " + error.code().httpStatus() + " to " + client + " " + method + " " + path + ": "
                        + error.message());
                activity.requestRefused(error.code().name());
            }
            Answer refusal = signed(error.code().httpStatus(), Endpoints.ERROR_MEDIA_TYPE, error.encode(), requestSignature);
            return e instanceof TooManyRequestsException tooMany
                    ? new Answer(refusal.status(), refusal.mediaType(), refusal.body(), refusal.headers(), Optional.of(tooMany.retryAfterSeconds()))
                    : refusal;
        }
        return signed(200, Endpoints.BINARY_MEDIA_TYPE, answer, requestSignature);
    }

    /** The endpoint a path names, without its session ID, so that metrics have one series per endpoint. */
    static String endpointOf(String path) {
        return switch (path) {
            case Endpoints.KEYS, Endpoints.NONCES, Endpoints.SESSIONS, Endpoints.RELEASES -> path;
            default -> Endpoints.sessionCall(path).map(call -> call.action().path("{id}")).orElse("other");
        };
    }

    /** An answer to a request refused before it was read, for its size. */
    Answer refuse(ErrorCode code, String message, Function<String, String> header) {
        return signed(code.httpStatus(), Endpoints.ERROR_MEDIA_TYPE, new ErrorBody(code, message).encode(), requestSignatureOf(header));
    }

    private byte[] dispatch(String method, String path, Function<String, String> header, byte[] body, byte[] requestSignature) {
        switch (path) {
            case Endpoints.KEYS -> {
                requireMethod(method, "GET");
                return new Messages.KeysAnswer(engine.keys()).encode();
            }
            case Endpoints.NONCES -> {
                requireMethod(method, "POST");
                return new Messages.NonceAnswer(engine.issueNonce()).encode();
            }
            case Endpoints.SESSIONS -> {
                requireMethod(method, "POST");
                Messages.OpenSession open = Messages.OpenSession.decode(body);
                String deviceId = authenticateByNonce(method, path, header, body, open.device());
                engine.requireSessionAllowed(deviceId);
                String sessionId = engine.openSession(open.device().signingKey(), open.device().agreementKey());
                return new Messages.SessionOpened(sessionId, engine.settings().sessionIdleTimeout().toSeconds(),
                        engine.settings().maxBatchLicenses(), engine.trustedSignerKeys()).encode();
            }
            case Endpoints.RELEASES -> {
                requireMethod(method, "POST");
                Messages.ReleaseRequest release = Messages.ReleaseRequest.decode(body);
                String deviceId = authenticateByNonce(method, path, header, body, release.device());
                List<KeyId> released = List.copyOf(engine.release(deviceId, release.keyIds()));
                activity.released(released.size(), false);
                return new Messages.Released(released).encode();
            }
            default -> {
                SessionCall call = Endpoints.sessionCall(path)
                        .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no endpoint " + path));
                requireMethod(method, "POST");
                return inSession(call, method, path, header, body, requestSignature);
            }
        }
    }

    /** Checks a nonce-signed request against the keys in its body; the device's ID. */
    private String authenticateByNonce(String method, String path, Function<String, String> header, byte[] body,
            Messages.DeviceKeys device) {
        ReceivedSignature signature = RequestSignatures.read(method, path, header, body, false);
        String deviceId = DeviceIdentity.deviceIdOf(device.signingKey(), device.agreementKey());
        if (!deviceId.equals(signature.keyId())) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "keyid " + signature.keyId()
                    + " is not the ID of the keys presented, " + deviceId);
        }
        signature.verify(device.signingKey());
        engine.consumeNonce(signature.nonce().orElseThrow());
        return deviceId;
    }

    private byte[] inSession(SessionCall call, String method, String path, Function<String, String> header, byte[] body,
            byte[] requestSignature) {
        ReceivedSignature signature = RequestSignatures.read(method, path, header, body, true);
        RequestSignatures.InSession position = signature.position().orElseThrow();
        SessionRow session = engine.session(call.sessionId(), position.lane());
        if (!session.deviceId().equals(signature.keyId())) {
            throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "session " + call.sessionId() + " is not device " + signature.keyId() + "'s");
        }
        signature.verify(session.signingKey());
        long sequence = position.sequence();
        String inLane = " in lane " + position.lane();
        if (sequence == session.lastSequence() && Arrays.equals(requestSignature, session.lastSignature())) {
            return replay(session, sequence);
        }
        if (sequence <= session.lastSequence()) {
            throw new ProtocolException(ErrorCode.REPLAYED, "sequence " + sequence + inLane + " was used; the next is " + (session.lastSequence() + 1));
        }
        if (sequence > session.lastSequence() + 1) {
            throw new ProtocolException(ErrorCode.OUT_OF_ORDER, "sequence " + sequence + inLane + " skips ahead; the next is "
                    + (session.lastSequence() + 1));
        }
        byte[] answer;
        try {
            answer = act(call, session, body);
        } catch (ProtocolException | RestoreFraudException e) {
            // The request was taken in its turn: a retry must get the same refusal, and the next number goes on.
            ErrorBody error = errorOf(e);
            engine.recordAnswer(session, sequence, requestSignature, error.code().httpStatus(), error.encode());
            throw e;
        }
        if (call.action() != Endpoints.SessionAction.CLOSE) {
            engine.recordAnswer(session, sequence, requestSignature, 200, answer);
        }
        return answer;
    }

    /** The recorded answer to a retried request, as it was. */
    private byte[] replay(SessionRow session, long sequence) {
        Ledger.RecordedAnswer recorded = engine.recordedAnswer(session, sequence).orElseThrow(() -> new ProtocolException(
                ErrorCode.REPLAYED, "sequence " + sequence + " in lane " + session.lane() + " was answered and a later request followed"));
        if (recorded.status() != 200) {
            ErrorBody error = ErrorBody.decode(recorded.body());
            throw new ProtocolException(error.code(), error.message());
        }
        return recorded.body();
    }

    private byte[] act(SessionCall call, SessionRow session, byte[] body) {
        return switch (call.action()) {
            case FILE_KEY -> {
                Messages.FileKeyRequest request = Messages.FileKeyRequest.decode(body);
                yield new Messages.FileKeyAnswer(engine.unwrapFileKey(session, request.wrappedFileKey(), request.context())).encode();
            }
            case ESCROW -> {
                Messages.EscrowRequest request = Messages.EscrowRequest.decode(body);
                engine.acceptDeviceKeyEscrow(session, request.sourceDeviceId(), request.escrow());
                yield EMPTY;
            }
            case ALLOWANCES -> new Messages.AllowanceList(engine.allowances(session, Messages.LicenseBatch.decode(body).licenses())).encode();
            case REBIND -> {
                List<License> batch = Messages.LicenseBatch.decode(body).licenses();
                List<Rebinding> answers = engine.rebind(session, batch);
                count(batch, answers);
                yield new Messages.RebindingList(answers).encode();
            }
            case COMMIT -> {
                requireEmpty(body);
                engine.commit(session);
                yield EMPTY;
            }
            case CLOSE -> {
                requireEmpty(body);
                engine.close(session.sessionId());
                yield EMPTY;
            }
        };
    }

    /** Tells the activity what a batch's answers were: re-bound here (not held here already), or refused and why. */
    private void count(List<License> batch, List<Rebinding> answers) {
        int rebound = 0;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) instanceof Rebinding.Rebound done && done.license() != batch.get(i)) {
                rebound++;
            } else if (answers.get(i) instanceof Rebinding.Refused refused) {
                activity.licenseRefused(refused.refusal());
            }
        }
        activity.rebound(rebound);
    }

    private ErrorBody errorOf(RuntimeException e) {
        if (e instanceof ProtocolException protocol) {
            return new ErrorBody(protocol.code(), protocol.getMessage());
        }
        if (e instanceof RestoreFraudException) {
            return new ErrorBody(ErrorCode.RESTORE_FRAUD, e.getMessage());
        }
        if (e instanceof LmsUnavailableException) {
            faults.fault("the ledger is unavailable", e);
            return new ErrorBody(ErrorCode.UNAVAILABLE, "the license management server cannot reach its database");
        }
        faults.fault("a request failed", e);
        return new ErrorBody(ErrorCode.INTERNAL, "the license management server failed; see its log");
    }

    private Answer signed(int status, String mediaType, byte[] body, byte[] requestSignature) {
        return new Answer(status, mediaType, body, AnswerSignatures.sign(status, body, requestSignature, engine.signingKeys()),
                Optional.empty());
    }

    /** The request's {@code lms} signature bytes, which the answer covers, or null when it has none readable. */
    private static byte[] requestSignatureOf(Function<String, String> header) {
        String value = header.apply(SignatureInput.SIGNATURE_HEADER);
        if (value == null) {
            return null;
        }
        try {
            return SignatureInput.parseSignature(value, RequestSignatures.LABEL);
        } catch (ProtocolException unreadable) {
            return null;
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED, "use " + expected + ", not " + method);
        }
    }

    private static void requireEmpty(byte[] body) {
        if (body.length != 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_BODY, "this request has an empty body");
        }
    }
}
