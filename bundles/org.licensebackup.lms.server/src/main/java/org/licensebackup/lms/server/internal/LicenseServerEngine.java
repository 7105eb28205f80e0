package org.licensebackup.lms.server.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.licensebackup.crypto.ContentKeyOpener;
import org.licensebackup.crypto.ContentKeyWrapper;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.FileKeyTransport;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.protocol.ProtocolException;
import org.licensebackup.lms.server.internal.Ledger.Decision;
import org.licensebackup.lms.server.internal.Ledger.SessionRow;

/**
 * The license management server without HTTP: its keys, the rules of re-binding, and the ledger
 * that counts each license's devices. Rules:
 * <ul>
 * <li>a license may be re-bound to {@code device.limit} unique devices, as Windows Media DRM let a
 * license be restored to up to 4 unique computers: the device its issuer bound it to, where it came
 * from, is not one of them; a device it is already re-bound to may have it again for free;</li>
 * <li>a license is re-bound only if its signature verifies and its signer is a trusted issuer or the
 * server itself; otherwise it is refused as not genuine and never signed;</li>
 * <li>a session's re-bindings are reservations that count while the session lives; its commit makes
 * them bindings; its close or expiry drops them.</li>
 * </ul>
 * The per-license cryptography of a batch runs on a pool of all cores that the engine owns. Thread-safe.
 */
final class LicenseServerEngine implements AutoCloseable {

    static final Duration NONCE_LIFETIME = Duration.ofMinutes(5);
    /** Reservations moved into the bindings per transaction. */
    private static final int COMPACTION_CHUNK = 4096;
    private static final String AGREEMENT_KEY = "x25519";
    private static final String SIGNING_KEY = "ed25519";
    /**
     * What a backup's file key for the service is wrapped in begins with, by the wrap's form
     * (backup-format.md 3.3 and 10.3). The server opens a file key in no other context: a backup's key
     * escrow is a format 1 wrap of 32 bytes for the same key, told apart by its context alone.
     */
    private static final byte[] FORMAT_1_FILE_KEY_LABEL = "org.licensebackup backup v1 file key\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT_2_FILE_KEY_LABEL = "org.licensebackup backup v2 file key for the service\0"
            .getBytes(StandardCharsets.US_ASCII);

    private final Ledger ledger;
    private final EngineSettings settings;
    private final Clock clock;
    private final RawKeyPair agreementKeys;
    private final RawKeyPair signingKeys;
    private final ServiceKeys serviceKeys;
    private final ContentKeyRebinder rebinder;
    private final List<byte[]> trustedSignerKeys;
    private final ForkJoinPool workers;
    private final SecureRandom random = new SecureRandom();
    /** The content-key secrets of live sessions on this instance, by session ID: dropped with their session. */
    private final Map<String, SessionCrypto> sessionCrypto = new ConcurrentHashMap<>();
    /**
     * The nonces this instance issued that are neither used here nor expired, with their expiry:
     * at most {@code max.live.nonces}, so that nonces nobody uses cannot fill the ledger or the heap.
     * A nonce used on another instance of a shared ledger counts here until it expires.
     */
    private final Map<String, Long> liveNonces = new ConcurrentHashMap<>();

    /**
     * What a session re-binds with, made once per session rather than once per license: an opener
     * per escrowed origin device (it caches the shared secret of each ephemeral key it meets) and
     * one wrapper for the session's device (one ephemeral key, agreed with once). Both thread-safe.
     */
    private static final class SessionCrypto {
        final Map<String, ContentKeyOpener> openers = new ConcurrentHashMap<>();
        private volatile ContentKeyWrapper wrapper;

        /** The session's wrapper, made here when another instance opened the session. */
        ContentKeyWrapper wrapper(SessionRow session) {
            ContentKeyWrapper made = wrapper;
            if (made == null) {
                synchronized (this) {
                    if (wrapper == null) {
                        wrapper = newWrapper(session.deviceId(), session.agreementKey());
                    }
                    made = wrapper;
                }
            }
            return made;
        }
    }

    /**
     * @param dropLeftoverSessions whether sessions found in the database belong to a process that
     *     is gone (an embedded database only this process uses), so that they count nothing
     */
    LicenseServerEngine(DataSource dataSource, EngineSettings settings, Clock clock, boolean dropLeftoverSessions) {
        this.ledger = new Ledger(Objects.requireNonNull(dataSource, "dataSource"));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        ledger.migrate();
        this.agreementKeys = KeyAgreement.fromPrivateKey(ledger.serverKey(AGREEMENT_KEY, KeyAgreement.generate().privateKey()));
        this.signingKeys = Signatures.fromPrivateKey(ledger.serverKey(SIGNING_KEY, Signatures.generate().privateKey()));
        this.serviceKeys = new ServiceKeys(agreementKeys.publicKey(), signingKeys.publicKey());
        this.rebinder = new ContentKeyRebinder(signingKeys);
        List<byte[]> trusted = new ArrayList<>(settings.trustedIssuerKeys());
        trusted.add(signingKeys.publicKey());
        this.trustedSignerKeys = List.copyOf(trusted);
        if (dropLeftoverSessions) {
            ledger.dropExpired(Long.MAX_VALUE);
        }
        this.workers = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    }

    ServiceKeys keys() {
        return serviceKeys;
    }

    /** The key pair that signs answers and re-bound licenses. */
    RawKeyPair signingKeys() {
        return signingKeys;
    }

    EngineSettings settings() {
        return settings;
    }

    /** The signer keys whose licenses are genuine: the trusted issuers' and the server's own. */
    List<byte[]> trustedSignerKeys() {
        return trustedSignerKeys;
    }

    boolean trusts(byte[] signerKey) {
        return signerKey != null && trustedSignerKeys.stream().anyMatch(key -> Arrays.equals(key, signerKey));
    }

    /** Nonces this instance issued that are neither used here nor expired, for the operator's metrics. */
    int liveNonceCount() {
        return liveNonces.size();
    }

    // Nonces and sessions

    /** @throws TooManyRequestsException when {@code max.live.nonces} are live already */
    String issueNonce() {
        long now = clock.millis();
        if (liveNonces.size() >= settings.maxLiveNonces()) {
            liveNonces.values().removeIf(expiry -> expiry <= now);
            if (liveNonces.size() >= settings.maxLiveNonces()) {
                long firstExpiry = liveNonces.values().stream().mapToLong(Long::longValue).min().orElse(now);
                throw new TooManyRequestsException(settings.maxLiveNonces() + " nonces are live, unused, already",
                        (firstExpiry - now + 999) / 1000);
            }
        }
        String nonce = randomId(32);
        long expiry = now + NONCE_LIFETIME.toMillis();
        liveNonces.put(nonce, expiry);
        ledger.addNonce(nonce, expiry);
        return nonce;
    }

    /** @throws ProtocolException REPLAYED when the nonce was not issued, was used, or expired */
    void consumeNonce(String nonce) {
        liveNonces.remove(nonce);
        if (!ledger.consumeNonce(nonce, clock.millis())) {
            throw new ProtocolException(ErrorCode.REPLAYED, "the nonce is unknown, used or expired");
        }
    }

    /**
     * @throws TooManyRequestsException when the device has {@code sessions.per.device} live sessions
     *     already, on any instance that shares the ledger
     */
    void requireSessionAllowed(String deviceId) {
        if (ledger.liveSessions(deviceId, clock.millis()) >= settings.sessionsPerDevice()) {
            throw new TooManyRequestsException("device " + deviceId + " has " + settings.sessionsPerDevice()
                    + " live sessions already; close one, or wait until one ends", Math.min(60, settings.sessionIdleTimeout().toSeconds()));
        }
    }

    /** Opens a session for the device with these public keys; its ID. */
    String openSession(byte[] deviceSigningKey, byte[] deviceAgreementKey) {
        requireKey(deviceSigningKey, "the device's signing key");
        requireKey(deviceAgreementKey, "the device's agreement key");
        String deviceId = DeviceIdentity.deviceIdOf(deviceSigningKey, deviceAgreementKey);
        // made now, so that a key no content key can be wrapped for is refused before it has a session
        ContentKeyWrapper wrapper = newWrapper(deviceId, deviceAgreementKey);
        String sessionId = randomId(16);
        ledger.addSession(sessionId, deviceId, deviceSigningKey, deviceAgreementKey, clock.millis() + settings.sessionIdleTimeout().toMillis(),
                Limits.MAX_LANES);
        SessionCrypto crypto = new SessionCrypto();
        crypto.wrapper = wrapper;
        sessionCrypto.put(sessionId, crypto);
        return sessionId;
    }

    /**
     * A live session, its idle timeout restarted, for callers that keep no sequence numbers: in
     * process, calls need no protection against replay.
     *
     * @throws ProtocolException UNKNOWN_SESSION when it is unknown, expired or closed
     */
    SessionRow session(String sessionId) {
        return session(sessionId, 0);
    }

    /**
     * A live session with where its {@code lane} stands, its idle timeout restarted.
     *
     * @throws ProtocolException UNKNOWN_SESSION when it is unknown, expired or closed
     */
    SessionRow session(String sessionId, int lane) {
        long now = clock.millis();
        return ledger.touchSession(sessionId, lane, now, now + settings.sessionIdleTimeout().toMillis())
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_SESSION, "session " + sessionId + " is unknown, expired or closed"));
    }

    void recordAnswer(SessionRow session, long sequence, byte[] requestSignature, int status, byte[] answer) {
        ledger.recordAnswer(session.sessionId(), session.lane(), sequence, requestSignature, status, answer);
    }

    /** The answer recorded for request {@code sequence} in the session's lane, if that was the lane's last. */
    Optional<Ledger.RecordedAnswer> recordedAnswer(SessionRow session, long sequence) {
        return ledger.recordedAnswer(session.sessionId(), session.lane(), sequence);
    }

    /**
     * Opens a backup's file key wrapped for the server, in either form a backup holds (format 1's
     * KeyWrap, format 2's HPKE), and wraps it for the session's device only.
     *
     * @throws RestoreFraudException when it was not wrapped for this server with this context, or the
     *     context is not a backup's file-key context
     */
    byte[] unwrapFileKey(SessionRow session, byte[] wrappedFileKey, byte[] context) {
        requireFileKeyContext(wrappedFileKey, Objects.requireNonNull(context, "context"));
        byte[] fileKey;
        try {
            fileKey = FileKeyWrap.unwrap(wrappedFileKey, agreementKeys, context);
        } catch (CryptoException e) {
            throw new RestoreFraudException("the backup's file key was not wrapped for this license management server", e);
        }
        try {
            return FileKeyTransport.wrapForDevice(fileKey, session.sessionId(), context, session.agreementKey());
        } finally {
            Arrays.fill(fileKey, (byte) 0);
        }
    }

    /**
     * Else a device holding any backup made for this server could send the backup's key escrow as a
     * format 1 file key, in the escrow's own context, and be sent the backing-up device's private key.
     */
    private static void requireFileKeyContext(byte[] wrappedFileKey, byte[] context) {
        byte[] label = wrappedFileKey != null && wrappedFileKey.length == FileKeyWrap.WRAPPED_V1_LENGTH
                ? FORMAT_1_FILE_KEY_LABEL
                : FORMAT_2_FILE_KEY_LABEL;
        if (context.length < label.length || !Arrays.equals(context, 0, label.length, label, 0, label.length)) {
            throw new RestoreFraudException("the context of a file key must be a backup's, beginning with \""
                    + new String(label, 0, label.length - 1, StandardCharsets.US_ASCII) + "\": no other secret is opened");
        }
    }

    /** @throws RestoreFraudException when the escrow does not hold {@code sourceDeviceId}'s key for this server */
    void acceptDeviceKeyEscrow(SessionRow session, String sourceDeviceId, byte[] escrow) {
        ContentKeyOpener opener = openEscrow(sourceDeviceId, escrow);
        ledger.addEscrow(session.sessionId(), sourceDeviceId, escrow);
        crypto(session).openers.put(sourceDeviceId, opener);
    }

    private ContentKeyOpener openEscrow(String sourceDeviceId, byte[] escrow) {
        RawKeyPair deviceKeys;
        try {
            deviceKeys = DeviceKeyEscrow.unwrap(escrow, sourceDeviceId, agreementKeys);
        } catch (CryptoException e) {
            throw new RestoreFraudException("the key escrow of device " + sourceDeviceId + " was not made for this license management server", e);
        }
        return ContentKeys.opener(deviceKeys, sourceDeviceId);
    }

    /** The session's content-key secrets on this instance, made empty when another instance opened it. */
    private SessionCrypto crypto(SessionRow session) {
        return sessionCrypto.computeIfAbsent(session.sessionId(), id -> new SessionCrypto());
    }

    /** The opener of {@code deviceId}'s escrowed key in this session; from the ledger when another instance took the escrow. */
    private ContentKeyOpener opener(SessionCrypto crypto, SessionRow session, String deviceId, KeyId forLicense) {
        ContentKeyOpener opener = crypto.openers.get(deviceId);
        if (opener == null) {
            byte[] escrow = ledger.escrow(session.sessionId(), deviceId).orElseThrow(() -> new RestoreFraudException("license " + forLicense
                    + " is bound to device " + deviceId + ", whose key was not escrowed in this session"));
            // two threads may open the same escrow at once: the first opener kept serves both afterwards
            opener = crypto.openers.computeIfAbsent(deviceId, id -> openEscrow(id, escrow));
        }
        return opener;
    }

    /**
     * @throws ProtocolException MALFORMED_BODY when no key can be agreed with {@code deviceAgreementKey}
     *     (a point of low order)
     */
    private static ContentKeyWrapper newWrapper(String deviceId, byte[] deviceAgreementKey) {
        try {
            return ContentKeys.wrapper(deviceId, deviceAgreementKey);
        } catch (CryptoException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_BODY, "the device's agreement key is not a usable X25519 public key", e);
        }
    }

    // Allowances and re-binding

    List<Allowance> allowances(SessionRow session, List<License> licenses) {
        requireBatchSize(licenses);
        Map<KeyId, Set<String>> devices = ledger.devices(licenses.stream().map(License::keyId).toList(), clock.millis());
        List<Allowance> allowances = new ArrayList<>(licenses.size());
        for (License license : licenses) {
            Set<String> counted = devices.get(license.keyId());
            // The origin is never counted, yet restoring there is free: rebind hands its own license back.
            boolean onThisDevice = counted.contains(session.deviceId()) || license.grant().deviceId().equals(session.deviceId());
            allowances.add(new Allowance(license.keyId(), counted.size(), settings.deviceLimit(), onThisDevice));
        }
        return allowances;
    }

    /**
     * Re-binds a batch to the session's device: each license's signature is checked, its content key
     * opened and wrapped for the device and the new grant signed, on all cores; then, in one
     * transaction, the licenses within their limit are reserved for the session.
     *
     * @throws RestoreFraudException when a genuine license's device key was not escrowed or its
     *     content key does not open
     */
    List<Rebinding> rebind(SessionRow session, List<License> backedUp) {
        requireBatchSize(backedUp);
        if (session.committed()) {
            throw new ProtocolException(ErrorCode.SESSION_COMMITTED, "session " + session.sessionId() + " was committed");
        }
        Instant now = clock.instant();
        SessionCrypto crypto = crypto(session);
        Rebinding[] prepared = inParallel(backedUp.size(), i -> prepare(session, crypto, backedUp.get(i), now));

        // Licenses that the ledger must approve: genuine, from another device, re-bound and signed already.
        boolean[] isCandidate = new boolean[prepared.length];
        Map<KeyId, Ledger.LicenseFacts> candidates = new LinkedHashMap<>();
        for (int i = 0; i < prepared.length; i++) {
            if (prepared[i] instanceof Rebinding.Rebound rebound && rebound.license() != backedUp.get(i)) {
                isCandidate[i] = true;
                License license = backedUp.get(i);
                candidates.putIfAbsent(rebound.keyId(), new Ledger.LicenseFacts(license.title(), license.grant().issuer()));
            }
        }
        if (candidates.isEmpty()) {
            return List.of(prepared);
        }
        boolean[] allowed = ledger.reserve(session.sessionId(), candidates, now.toEpochMilli(),
                devices -> decide(session.deviceId(), backedUp, isCandidate, devices));
        List<Rebinding> answers = new ArrayList<>(prepared.length);
        for (int i = 0; i < prepared.length; i++) {
            if (isCandidate[i] && !allowed[i]) {
                License license = backedUp.get(i);
                answers.add(new Rebinding.Refused(license.keyId(), Rebinding.Refusal.DEVICE_LIMIT_REACHED,
                        "license " + license.keyId() + " is on as many devices as allowed (" + settings.deviceLimit() + ")",
                        settings.supportUrlFor(license.keyId())));
            } else {
                answers.add(prepared[i]);
            }
        }
        return answers;
    }

    /**
     * The answer to one license before the ledger is asked: unchanged when it is bound to the
     * session's device already, refused when not genuine, else re-bound (and signed) on approval.
     */
    private Rebinding prepare(SessionRow session, SessionCrypto crypto, License license, Instant now) {
        if (license.grant().deviceId().equals(session.deviceId())) {
            return new Rebinding.Rebound(license);
        }
        if (!trusts(license.signerKey()) || !Signatures.verify(license.signerKey(), license.signedBytes(), license.signature())) {
            return new Rebinding.Refused(license.keyId(), Rebinding.Refusal.NOT_GENUINE,
                    "license " + license.keyId() + " is not signed by an issuer this server trusts", settings.supportUrlFor(license.keyId()));
        }
        ContentKeyOpener origin = opener(crypto, session, license.grant().deviceId(), license.keyId());
        return new Rebinding.Rebound(rebinder.rebind(license, origin, crypto.wrapper(session), now));
    }

    /** Which candidates fit their license's limit, in batch order, and the devices to reserve for them. */
    private Decision<boolean[]> decide(String deviceId, List<License> backedUp, boolean[] isCandidate, Map<KeyId, Set<String>> devices) {
        boolean[] allowed = new boolean[isCandidate.length];
        Map<KeyId, Set<String>> reservations = new HashMap<>();
        for (int i = 0; i < isCandidate.length; i++) {
            if (!isCandidate[i]) {
                continue;
            }
            License license = backedUp.get(i);
            Set<String> counted = devices.get(license.keyId());
            // The same device again is free, even where a lowered limit is exceeded already.
            if (counted.contains(deviceId) || counted.size() < settings.deviceLimit()) {
                allowed[i] = true;
                if (counted.add(deviceId)) {
                    reservations.computeIfAbsent(license.keyId(), k -> new HashSet<>()).add(deviceId);
                }
            }
        }
        return new Decision<>(reservations, allowed);
    }

    /**
     * Makes the session's re-bindings count, durably.
     *
     * @throws ProtocolException UNKNOWN_SESSION when the session expired meanwhile: then nothing counts
     */
    void commit(SessionRow session) {
        if (!ledger.commit(session.sessionId(), clock.millis())) {
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "session " + session.sessionId() + " expired before it committed");
        }
    }

    /** Ends a session; what it reserved and did not commit counts no more. */
    void close(String sessionId) {
        sessionCrypto.remove(sessionId);
        ledger.closeSession(sessionId);
    }

    /**
     * Drops the uncommitted sessions whose idle timeout passed and expired nonces, and moves the
     * re-bindings of ended committed sessions into the bindings, a chunk per transaction.
     */
    void dropExpiredSessions() {
        long now = clock.millis();
        ledger.dropExpired(now).forEach(sessionCrypto::remove);
        liveNonces.values().removeIf(expiry -> expiry <= now);
        while (ledger.compact(now, COMPACTION_CHUNK) > 0) {
            // each chunk is its own short transaction, so restores go on meanwhile
        }
    }

    /** Frees {@code deviceId}'s slots of {@code keyIds}; how many it held. */
    Set<KeyId> release(String deviceId, Collection<KeyId> keyIds) {
        return keyIds.isEmpty() ? Set.of() : ledger.release(deviceId, keyIds);
    }

    private void requireBatchSize(List<License> licenses) {
        if (licenses.size() > settings.maxBatchLicenses()) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, licenses.size() + " licenses in a batch; at most " + settings.maxBatchLicenses());
        }
    }

    private Rebinding[] inParallel(int size, java.util.function.IntFunction<Rebinding> work) {
        try {
            return workers.submit(() -> IntStream.range(0, size).parallel().mapToObj(work).toArray(Rebinding[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while re-binding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private String randomId(int bytes) {
        byte[] id = new byte[bytes];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static void requireKey(byte[] key, String what) {
        if (key == null || key.length != ServiceKeys.KEY_LENGTH) {
            throw new ProtocolException(ErrorCode.MALFORMED_BODY, what + " must have " + ServiceKeys.KEY_LENGTH + " bytes");
        }
    }

    /** Stops the workers; the data source is the caller's to close. */
    @Override
    public void close() {
        workers.shutdown();
        sessionCrypto.clear();
    }
}
