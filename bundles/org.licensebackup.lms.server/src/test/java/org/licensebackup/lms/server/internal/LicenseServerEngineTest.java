package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.KeyWrap;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.FileKeyTransport;
import org.licensebackup.lms.protocol.ProtocolException;
import org.licensebackup.lms.server.internal.Ledger.SessionRow;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;

/**
 * The engine's rules on the embedded ledger; {@link LicenseServerEngineOnPostgresTest} runs them all
 * again on PostgreSQL.
 */
class LicenseServerEngineTest {

    /** Rounds of the race for a license's last slots: every one must end with exactly the limit. */
    static final int RACE_ROUNDS = Integer.getInteger("lms.race.rounds", 100);

    private static final String SUPPORT_URL = "https://support.example/licenses";

    @TempDir
    Path folder;

    private final RawKeyPair issuerKeys = Signatures.generate();
    private final Issuer issuer = Issuer.fromPrivateKey("studio", issuerKeys.privateKey());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<LedgerDatabase> databases = new ArrayList<>();
    private final List<LicenseServerEngine> engines = new ArrayList<>();
    private final DeviceIdentity origin = TestDevices.generate();

    /** A new pool on the test's database named {@code name}, which is the same for the same name. */
    LedgerDatabase openDatabase(String name) {
        return LedgerDatabase.embedded(folder.resolve(name), H2Drivers.h2());
    }

    @AfterEach
    void closeAll() {
        engines.forEach(LicenseServerEngine::close);
        databases.forEach(LedgerDatabase::close);
    }

    @Test
    void rebindsALicenseToTheNewDeviceSignedByTheServerWithTheSameContentKey() {
        LicenseServerEngine engine = engine(4);
        byte[] contentKey = new byte[16];
        contentKey[0] = 42;
        License backedUp = issuer.issue(spec().withContentKey(contentKey), origin.deviceId(), origin.agreementPublicKey());
        DeviceIdentity newDevice = TestDevices.generate();

        Rebinding answer = rebindOne(engine, newDevice, backedUp, true);

        License rebound = assertInstanceOf(Rebinding.Rebound.class, answer).license();
        assertEquals(newDevice.deviceId(), rebound.grant().deviceId());
        assertArrayEquals(engine.keys().signingKey(), rebound.signerKey());
        assertTrue(Signatures.verify(rebound.signerKey(), rebound.signedBytes(), rebound.signature()));
        assertArrayEquals(contentKey, newDevice.unwrapContentKey(rebound.grant().wrappedContentKey(), rebound.keyId().bytes()));
        assertEquals(backedUp.usage(), rebound.usage());
    }

    @Test
    void aSessionWrapsEveryLicenseUnderItsOneEphemeralKeyInTheVersionTwoForm() {
        LicenseServerEngine engine = engine(4);
        List<License> backedUp = List.of(licenseOnOrigin(), licenseOnOrigin(), licenseOnOrigin());
        DeviceIdentity newDevice = TestDevices.generate();

        List<byte[]> firstSession = wrappedContentKeys(engine.rebind(withEscrow(engine, newDevice), backedUp));
        List<byte[]> secondSession = wrappedContentKeys(engine.rebind(withEscrow(engine, newDevice), backedUp));

        for (List<byte[]> session : List.of(firstSession, secondSession)) {
            for (byte[] wrapped : session) {
                assertEquals(ContentKeys.WRAPPED_V2_LENGTH, wrapped.length);
                assertEquals(ContentKeys.VERSION_2, wrapped[0]);
                assertArrayEquals(ephemeralKeyOf(session.get(0)), ephemeralKeyOf(wrapped));
            }
        }
        assertFalse(Arrays.equals(ephemeralKeyOf(firstSession.get(0)), ephemeralKeyOf(secondSession.get(0))),
                "each session has an ephemeral key of its own");
        for (int i = 0; i < backedUp.size(); i++) {
            byte[] contentKey = origin.unwrapContentKey(backedUp.get(i).grant().wrappedContentKey(), backedUp.get(i).keyId().bytes());
            assertArrayEquals(contentKey, newDevice.unwrapContentKey(firstSession.get(i), backedUp.get(i).keyId().bytes()));
            assertArrayEquals(contentKey, newDevice.unwrapContentKey(secondSession.get(i), backedUp.get(i).keyId().bytes()));
        }
    }

    @Test
    void aLicenseWhoseContentKeyIsInTheVersionOneFormIsReboundInTheVersionTwoForm() {
        LicenseServerEngine engine = engine(4);
        byte[] contentKey = new byte[ContentKeys.CONTENT_KEY_LENGTH];
        contentKey[3] = 17;
        LicenseGrant issued = licenseOnOrigin().grant();
        byte[] versionOne = KeyWrap.wrap(contentKey, origin.agreementPublicKey(), contentKeyContext(issued.keyId().bytes(), origin.deviceId()));
        assertEquals(ContentKeys.WRAPPED_V1_LENGTH, versionOne.length);
        LicenseGrant grant = new LicenseGrant(issued.keyId(), issued.issuer(), issued.contentId(), issued.title(), issued.rights(),
                issued.deviceId(), versionOne, issued.issuedAt());
        License backedUp = License.of(grant, issuerKeys.publicKey(), Signatures.sign(issuerKeys, LicenseCodec.encodeGrant(grant)),
                licenseOnOrigin().usage());
        DeviceIdentity newDevice = TestDevices.generate();

        License rebound = assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, newDevice, backedUp, true)).license();

        assertEquals(ContentKeys.WRAPPED_V2_LENGTH, rebound.grant().wrappedContentKey().length);
        assertArrayEquals(contentKey, newDevice.unwrapContentKey(rebound.grant().wrappedContentKey(), rebound.keyId().bytes()));
    }

    @Test
    void aDeviceWhoseAgreementKeyIsOfLowOrderGetsNoSession() {
        LicenseServerEngine engine = engine(4);
        DeviceIdentity device = TestDevices.generate();

        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> engine.openSession(device.signingPublicKey(), new byte[KeyAgreement.KEY_LENGTH]));

        assertEquals(ErrorCode.MALFORMED_BODY, refused.code());
    }

    @Test
    void aLicenseMayBeReboundToDeviceLimitNewDevicesAndTheOriginIsNotOneOfThem() {
        LicenseServerEngine engine = engine(4);
        License backedUp = licenseOnOrigin();

        for (int i = 0; i < 4; i++) {
            assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
        }
        Rebinding.Refused refused = assertInstanceOf(Rebinding.Refused.class, rebindOne(engine, TestDevices.generate(), backedUp, true));

        assertEquals(Rebinding.Refusal.DEVICE_LIMIT_REACHED, refused.refusal());
        assertEquals(SUPPORT_URL + "?kid=" + java.net.URLEncoder.encode(backedUp.keyId().toString(), java.nio.charset.StandardCharsets.UTF_8),
                refused.supportUrl().orElseThrow());
    }

    @Test
    void withALimitOfOneOneNewDeviceGetsTheLicenseAndTheOriginStillHasItsOwn() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();

        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
        assertInstanceOf(Rebinding.Refused.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
        assertSame(backedUp, assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, origin, backedUp, true)).license());
    }

    @Test
    void theSameDeviceAgainIsFreeEvenAtTheLimit() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();
        DeviceIdentity newDevice = TestDevices.generate();
        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, newDevice, backedUp, true));

        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, newDevice, backedUp, true));
        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, origin, backedUp, true));
        assertInstanceOf(Rebinding.Refused.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
    }

    @Test
    void aLicenseAlreadyBoundToTheSessionsDeviceComesBackUnchangedAndCountsNothing() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();

        SessionRow session = open(engine, origin);
        Rebinding answer = engine.rebind(session, List.of(backedUp)).get(0);

        assertSame(backedUp, assertInstanceOf(Rebinding.Rebound.class, answer).license());
        engine.commit(session);
        assertEquals(List.of(new Allowance(backedUp.keyId(), 0, 1, true)), engine.allowances(open(engine, origin), List.of(backedUp)));
    }

    @Test
    void theOriginsAllowanceForItsOwnLicenseAllowsItEvenWhenNewDevicesTookEverySlot() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();
        rebindOne(engine, TestDevices.generate(), backedUp, true);

        Allowance originsAllowance = engine.allowances(open(engine, origin), List.of(backedUp)).get(0);
        Allowance anotherDevicesAllowance = engine.allowances(open(engine, TestDevices.generate()), List.of(backedUp)).get(0);

        assertEquals(new Allowance(backedUp.keyId(), 1, 1, true), originsAllowance);
        assertTrue(originsAllowance.allowsThisDevice());
        assertFalse(anotherDevicesAllowance.allowsThisDevice());
    }

    @Test
    void allowancesCountCommittedDevicesButNotTheOriginAndReserveNothing() {
        LicenseServerEngine engine = engine(4);
        License backedUp = licenseOnOrigin();
        DeviceIdentity restored = TestDevices.generate();
        rebindOne(engine, restored, backedUp, true);

        DeviceIdentity asking = TestDevices.generate();
        SessionRow session = open(engine, asking);
        assertEquals(List.of(new Allowance(backedUp.keyId(), 1, 4, false)), engine.allowances(session, List.of(backedUp)));
        assertEquals(List.of(new Allowance(backedUp.keyId(), 1, 4, true)), engine.allowances(open(engine, restored), List.of(backedUp)));
        assertEquals(List.of(new Allowance(backedUp.keyId(), 1, 4, false)), engine.allowances(session, List.of(backedUp)));
    }

    @Test
    void reservationsCountWhileTheSessionLivesAndNotAfterItCloses() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();
        SessionRow holding = withEscrow(engine, TestDevices.generate());
        assertInstanceOf(Rebinding.Rebound.class, engine.rebind(holding, List.of(backedUp)).get(0));

        assertInstanceOf(Rebinding.Refused.class, rebindOne(engine, TestDevices.generate(), backedUp, false));
        engine.close(holding.sessionId());

        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
    }

    @Test
    void reservationsOfAnExpiredSessionCountNothingAndItCannotCommit() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();
        SessionRow idle = withEscrow(engine, TestDevices.generate());
        engine.rebind(idle, List.of(backedUp));

        clock.advance(Duration.ofSeconds(61));

        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
        assertEquals(ErrorCode.UNKNOWN_SESSION, assertThrows(ProtocolException.class, () -> engine.commit(idle)).code());
        assertEquals(ErrorCode.UNKNOWN_SESSION, assertThrows(ProtocolException.class, () -> engine.session(idle.sessionId())).code());
    }

    @Test
    void aSessionOfAKilledServerCountsNothingAfterARestartWhileTheKeysStay() {
        String database = "restart";
        LicenseServerEngine first = engine(database, 1, true);
        License backedUp = licenseOnOrigin();
        SessionRow cutOff = withEscrow(first, TestDevices.generate());
        engine(database, 1, false); // another instance on the same database leaves live sessions alone
        assertInstanceOf(Rebinding.Rebound.class, first.rebind(cutOff, List.of(backedUp)).get(0));

        first.close();
        LicenseServerEngine restarted = engine(database, 1, true);

        assertEquals(first.keys(), restarted.keys());
        assertInstanceOf(Rebinding.Rebound.class, rebindOne(restarted, TestDevices.generate(), backedUp, true));
    }

    @Test
    void committedReBindingsCountForGoodThroughCloseRestartAndCompaction() {
        String database = "committed";
        LicenseServerEngine first = engine(database, 1, true);
        License backedUp = licenseOnOrigin();
        DeviceIdentity holder = TestDevices.generate();
        SessionRow committed = withEscrow(first, holder);
        assertInstanceOf(Rebinding.Rebound.class, first.rebind(committed, List.of(backedUp)).get(0));
        first.commit(committed);
        first.close(committed.sessionId());

        LicenseServerEngine restarted = engine(database, 1, true);
        assertInstanceOf(Rebinding.Refused.class, rebindOne(restarted, TestDevices.generate(), backedUp, false));
        clock.advance(Duration.ofSeconds(61));
        restarted.dropExpiredSessions();

        assertInstanceOf(Rebinding.Refused.class, rebindOne(restarted, TestDevices.generate(), backedUp, true));
        assertInstanceOf(Rebinding.Rebound.class, rebindOne(restarted, holder, backedUp, true));
        assertEquals(Set.of(backedUp.keyId()), restarted.release(holder.deviceId(), List.of(backedUp.keyId())));
        assertInstanceOf(Rebinding.Rebound.class, rebindOne(restarted, TestDevices.generate(), backedUp, true));
    }

    @Test
    void aReleaseFreesASlotHeldByACommittedSessionNotYetCompacted() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();
        DeviceIdentity holder = TestDevices.generate();
        rebindOne(engine, holder, backedUp, true); // committed, still open: its re-binding is not compacted

        assertEquals(Set.of(backedUp.keyId()), engine.release(holder.deviceId(), List.of(backedUp.keyId())));

        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
    }

    @Test
    void releasingFreesTheDevicesSlot() {
        LicenseServerEngine engine = engine(1);
        License backedUp = licenseOnOrigin();
        DeviceIdentity holder = TestDevices.generate();
        rebindOne(engine, holder, backedUp, true);
        assertInstanceOf(Rebinding.Refused.class, rebindOne(engine, TestDevices.generate(), backedUp, true));

        assertEquals(Set.of(backedUp.keyId()), engine.release(holder.deviceId(), List.of(backedUp.keyId(), licenseOnOrigin().keyId())));
        assertEquals(Set.of(), engine.release(holder.deviceId(), List.of(backedUp.keyId())));

        assertInstanceOf(Rebinding.Rebound.class, rebindOne(engine, TestDevices.generate(), backedUp, true));
    }

    @Test
    void licensesOfUntrustedIssuersOrWithForgedGrantsAreRefusedAsNotGenuineAndNeverSigned() {
        LicenseServerEngine engine = engine(4);
        License untrusted = Issuer.generate("pirate").issue(spec(), origin.deviceId(), origin.agreementPublicKey());
        License genuine = licenseOnOrigin();
        LicenseGrant grant = genuine.grant();
        LicenseGrant widened = new LicenseGrant(grant.keyId(), grant.issuer(), grant.contentId(), "Other title",
                Rights.unlimited().withBackupAllowed(true), grant.deviceId(), grant.wrappedContentKey(), grant.issuedAt());
        License forged = License.of(widened, genuine.signerKey(), genuine.signature(), genuine.usage());

        SessionRow session = withEscrow(engine, TestDevices.generate());
        List<Rebinding> answers = engine.rebind(session, List.of(untrusted, forged));

        for (Rebinding answer : answers) {
            Rebinding.Refused refused = assertInstanceOf(Rebinding.Refused.class, answer);
            assertEquals(Rebinding.Refusal.NOT_GENUINE, refused.refusal());
        }
        engine.commit(session);
        assertEquals(0, engine.allowances(session, List.of(genuine)).get(0).devicesUsed(), "nothing was reserved for them");
    }

    @Test
    void aContentKeyThatDoesNotOpenWithTheEscrowedKeyIsRestoreFraud() {
        LicenseServerEngine engine = engine(4);
        License backedUp = licenseOnOrigin();
        SessionRow session = open(engine, TestDevices.generate());
        // An escrow under the origin's ID that holds another key: the content key cannot open.
        engine.acceptDeviceKeyEscrow(session, origin.deviceId(),
                DeviceKeyEscrow.wrap(KeyAgreement.generate(), origin.deviceId(), engine.keys().agreementKey()));

        assertThrows(RestoreFraudException.class, () -> engine.rebind(session, List.of(backedUp)));
    }

    @Test
    void aLicenseFromADeviceWhoseKeyWasNotEscrowedOrAnEscrowForAnotherServerIsRestoreFraud() {
        LicenseServerEngine engine = engine(4);
        SessionRow session = open(engine, TestDevices.generate());

        assertThrows(RestoreFraudException.class, () -> engine.rebind(session, List.of(licenseOnOrigin())));
        assertThrows(RestoreFraudException.class, () -> engine.acceptDeviceKeyEscrow(session, origin.deviceId(),
                origin.escrowAgreementKey(KeyAgreement.generate().publicKey())));
    }

    @Test
    void theFileKeyReachesOnlyTheSessionsDeviceWrappedForIt() {
        LicenseServerEngine engine = engine(4);
        DeviceIdentity device = TestDevices.generate();
        SessionRow session = open(engine, device);
        byte[] fileKey = new byte[32];
        fileKey[5] = 7;
        byte[] context = formatTwoContext("backup header");

        byte[] forDevice = engine.unwrapFileKey(session, FileKeyWrap.wrap(fileKey, engine.keys().agreementKey(), context), context);

        assertArrayEquals(fileKey, FileKeyTransport.unwrapOnDevice(forDevice, session.sessionId(), context, device));
        assertThrows(CryptoException.class, () -> FileKeyTransport.unwrapOnDevice(forDevice, session.sessionId(), context, TestDevices.generate()));
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session,
                FileKeyWrap.wrap(fileKey, KeyAgreement.generate().publicKey(), context), context));
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session,
                FileKeyWrap.wrap(fileKey, engine.keys().agreementKey(), context), formatTwoContext("another header")));
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session, new byte[FileKeyWrap.WRAPPED_V2_LENGTH - 1], context));
    }

    /**
     * A backup's key escrow is the construction of a format 1 wrapped file key (KeyWrap of 32 bytes for
     * the server's key), told apart only by its context: opened in a context the requester makes up,
     * it would hand any device holding a backup the backing-up device's private key.
     */
    @Test
    void aDeviceKeyEscrowIsNeverOpenedAsAFileKeyNorAnyWrapInAContextThatIsNotABackupsFileKeyContext() {
        LicenseServerEngine engine = engine(4);
        DeviceIdentity victim = TestDevices.generate();
        byte[] escrow = victim.escrowAgreementKey(engine.keys().agreementKey());
        SessionRow session = open(engine, TestDevices.generate());
        byte[] escrowContext = concat("org.licensebackup device key escrow v1\0".getBytes(StandardCharsets.US_ASCII),
                victim.deviceId().getBytes(StandardCharsets.UTF_8));
        byte[] fileKey = new byte[32];
        byte[] madeUp = "backup header".getBytes(StandardCharsets.US_ASCII);

        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session, escrow, escrowContext));
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session,
                KeyWrap.wrap(fileKey, engine.keys().agreementKey(), madeUp), madeUp));
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session,
                FileKeyWrap.wrap(fileKey, engine.keys().agreementKey(), madeUp), madeUp));
        byte[] formatTwoContextOnAFormatOneWrap = formatTwoContext("header");
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session,
                KeyWrap.wrap(fileKey, engine.keys().agreementKey(), formatTwoContextOnAFormatOneWrap), formatTwoContextOnAFormatOneWrap));
    }

    /** What a format 1 backup's file key is wrapped in: its label, then its header (backup-format.md 3.3). */
    private static byte[] formatOneContext(String header) {
        return concat("org.licensebackup backup v1 file key\0".getBytes(StandardCharsets.US_ASCII), header.getBytes(StandardCharsets.US_ASCII));
    }

    /** What a format 2 backup's file key for the service is wrapped in (backup-format.md 10.3). */
    private static byte[] formatTwoContext(String header) {
        return concat("org.licensebackup backup v2 file key for the service\0".getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void aFileKeyOfAFormatOneBackupWrappedWithKeyWrapStillOpens() {
        LicenseServerEngine engine = engine(4);
        DeviceIdentity device = TestDevices.generate();
        SessionRow session = open(engine, device);
        byte[] fileKey = new byte[32];
        fileKey[31] = 9;
        byte[] context = formatOneContext("format 1 header");
        byte[] formatOne = KeyWrap.wrap(fileKey, engine.keys().agreementKey(), context);
        assertEquals(FileKeyWrap.WRAPPED_V1_LENGTH, formatOne.length);

        byte[] forDevice = engine.unwrapFileKey(session, formatOne, context);

        assertArrayEquals(fileKey, FileKeyTransport.unwrapOnDevice(forDevice, session.sessionId(), context, device));
        assertThrows(RestoreFraudException.class, () -> engine.unwrapFileKey(session,
                KeyWrap.wrap(fileKey, KeyAgreement.generate().publicKey(), context), context));
    }

    @Test
    void aNonceOpensOnceAndABatchOverTheLimitIsRefused() {
        LicenseServerEngine engine = engine(4);
        String nonce = engine.issueNonce();
        engine.consumeNonce(nonce);
        assertEquals(ErrorCode.REPLAYED, assertThrows(ProtocolException.class, () -> engine.consumeNonce(nonce)).code());
        String expiring = engine.issueNonce();
        clock.advance(LicenseServerEngine.NONCE_LIFETIME.plusSeconds(1));
        assertEquals(ErrorCode.REPLAYED, assertThrows(ProtocolException.class, () -> engine.consumeNonce(expiring)).code());

        SessionRow session = open(engine, TestDevices.generate());
        List<License> tooMany = Collections.nCopies(engine.settings().maxBatchLicenses() + 1, licenseOnOrigin());
        assertEquals(ErrorCode.TOO_LARGE, assertThrows(ProtocolException.class, () -> engine.rebind(session, tooMany)).code());
    }

    @Test
    void eightDevicesRacingThroughTwoInstancesForOneLicenseWithLimitFourGetExactlyFourSlotsTheOriginTakingNone() throws Exception {
        // two instances, each with a pool of its own, on one ledger: as two server processes on one database
        List<LicenseServerEngine> instances = List.of(engine("race", 4, true), engine("race", 4, false));
        ExecutorService devices = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                License backedUp = licenseOnOrigin();
                CyclicBarrier start = new CyclicBarrier(8);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int d = 0; d < 8; d++) {
                    DeviceIdentity device = TestDevices.generate();
                    LicenseServerEngine engine = instances.get(d % 2);
                    SessionRow session = withEscrow(engine, device);
                    Callable<Boolean> race = () -> {
                        start.await();
                        Rebinding answer = engine.rebind(session, List.of(backedUp)).get(0);
                        engine.commit(session);
                        return answer instanceof Rebinding.Rebound;
                    };
                    outcomes.add(devices.submit(race));
                }
                int winners = 0;
                for (Future<Boolean> outcome : outcomes) {
                    winners += outcome.get() ? 1 : 0;
                }
                assertEquals(4, winners, "round " + round);
                Allowance after = instances.get(1).allowances(open(instances.get(0), TestDevices.generate()), List.of(backedUp)).get(0);
                assertEquals(4, after.devicesUsed(), "round " + round);
            }
        } finally {
            devices.shutdownNow();
        }
    }

    @Test
    void badTrustedIssuerKeysAreRefusedWithTheKeyNamed() {
        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> EngineSettings.of(4, new String[] {"not base64!"}, "", 60, 100));
        assertTrue(notBase64.getMessage().contains("not base64!"));
        assertThrows(IllegalArgumentException.class,
                () -> EngineSettings.of(4, new String[] {Base64.getEncoder().encodeToString(new byte[31])}, "", 60, 100));
        assertThrows(IllegalArgumentException.class, () -> EngineSettings.of(0, new String[0], "", 60, 100));
        assertEquals(0, EngineSettings.of(4, new String[] {" "}, "", 60, 100).trustedIssuerKeys().size());
        assertTrue(EngineSettings.of(4, new String[0], SUPPORT_URL + "?a=b", 60, 100)
                .supportUrlFor(licenseOnOrigin().keyId()).orElseThrow().startsWith(SUPPORT_URL + "?a=b&kid="));
        assertFalse(EngineSettings.of(4, new String[0], "", 60, 100).supportUrlFor(licenseOnOrigin().keyId()).isPresent());
    }

    // Helpers

    private static List<byte[]> wrappedContentKeys(List<Rebinding> answers) {
        return answers.stream().map(answer -> assertInstanceOf(Rebinding.Rebound.class, answer).license().grant().wrappedContentKey()).toList();
    }

    private static byte[] ephemeralKeyOf(byte[] versionTwoWrap) {
        return Arrays.copyOfRange(versionTwoWrap, 1, 1 + KeyAgreement.KEY_LENGTH);
    }

    /** The version 1 wrap context as ContentKeys specifies it: "org.licensebackup content key v1" | 0x00 | keyId | UTF-8(deviceId). */
    private static byte[] contentKeyContext(byte[] keyId, String deviceId) {
        java.io.ByteArrayOutputStream context = new java.io.ByteArrayOutputStream();
        context.writeBytes("org.licensebackup content key v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        context.write(0);
        context.writeBytes(keyId);
        context.writeBytes(deviceId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return context.toByteArray();
    }

    private Rebinding rebindOne(LicenseServerEngine engine, DeviceIdentity device, License backedUp, boolean commit) {
        SessionRow session = withEscrow(engine, device);
        Rebinding answer = engine.rebind(session, List.of(backedUp)).get(0);
        if (commit) {
            engine.commit(session);
        }
        return answer;
    }

    private SessionRow withEscrow(LicenseServerEngine engine, DeviceIdentity device) {
        SessionRow session = open(engine, device);
        engine.acceptDeviceKeyEscrow(session, origin.deviceId(), origin.escrowAgreementKey(engine.keys().agreementKey()));
        return session;
    }

    private static SessionRow open(LicenseServerEngine engine, DeviceIdentity device) {
        return engine.session(engine.openSession(device.signingPublicKey(), device.agreementPublicKey()));
    }

    private License licenseOnOrigin() {
        return issuer.issue(spec(), origin.deviceId(), origin.agreementPublicKey());
    }

    private static LicenseSpec spec() {
        return LicenseSpec.of("Metropolis", Rights.unlimited().withBackupAllowed(true));
    }

    @Test
    void aDeviceWithAsManyLiveSessionsAsAllowedIsAskedToWaitUntilOneEnds() {
        LicenseServerEngine engine = limitedEngine(100, 2);
        DeviceIdentity device = TestDevices.generate();
        String first = engine.openSession(device.signingPublicKey(), device.agreementPublicKey());
        engine.requireSessionAllowed(device.deviceId());
        engine.openSession(device.signingPublicKey(), device.agreementPublicKey());

        TooManyRequestsException refused = assertThrows(TooManyRequestsException.class, () -> engine.requireSessionAllowed(device.deviceId()));
        assertEquals(ErrorCode.TOO_MANY_REQUESTS, refused.code());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 60, () -> "Retry-After " + refused.retryAfterSeconds());
        DeviceIdentity another = TestDevices.generate();
        engine.requireSessionAllowed(another.deviceId());

        engine.close(first);
        engine.requireSessionAllowed(device.deviceId());
        engine.openSession(device.signingPublicKey(), device.agreementPublicKey());
        clock.advance(Duration.ofSeconds(61));
        engine.requireSessionAllowed(device.deviceId());
    }

    @Test
    void liveNoncesAreCappedUntilOneIsUsedOrExpires() {
        LicenseServerEngine engine = limitedEngine(2, 4);
        String first = engine.issueNonce();
        engine.issueNonce();

        TooManyRequestsException refused = assertThrows(TooManyRequestsException.class, engine::issueNonce);
        assertEquals(LicenseServerEngine.NONCE_LIFETIME.toSeconds(), refused.retryAfterSeconds(), "until the first one expires");

        engine.consumeNonce(first);
        engine.issueNonce();
        assertThrows(TooManyRequestsException.class, engine::issueNonce);
        clock.advance(LicenseServerEngine.NONCE_LIFETIME);
        engine.issueNonce();
    }

    private LicenseServerEngine limitedEngine(int maxLiveNonces, int sessionsPerDevice) {
        LedgerDatabase ledger = openDatabase("limited");
        databases.add(ledger);
        EngineSettings settings = EngineSettings.of(4, new String[0], "", 60, 2048, maxLiveNonces, sessionsPerDevice);
        LicenseServerEngine engine = new LicenseServerEngine(ledger.dataSource(), settings, clock, true);
        engines.add(engine);
        return engine;
    }

    private LicenseServerEngine engine(int deviceLimit) {
        return engine("lms", deviceLimit, true);
    }

    private LicenseServerEngine engine(String database, int deviceLimit, boolean dropLeftoverSessions) {
        LedgerDatabase ledger = openDatabase(database);
        databases.add(ledger);
        EngineSettings settings = EngineSettings.of(deviceLimit,
                new String[] {Base64.getEncoder().encodeToString(issuer.publicKey())}, SUPPORT_URL, 60, 2048);
        LicenseServerEngine engine = new LicenseServerEngine(ledger.dataSource(), settings, clock, dropLeftoverSessions);
        engines.add(engine);
        return engine;
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
