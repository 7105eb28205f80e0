package org.licensebackup.lms.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.protocol.Messages.LicenseBatch;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.Rebinding;

class MessagesTest {

    private final Issuer issuer = Issuer.generate("studio");
    private final License license = issuer.issue(LicenseSpec.of("Metropolis", Rights.unlimited().withBackupAllowed(true)),
            "device-a", KeyAgreement.generate().publicKey());

    @Test
    void batchesAndAnswersRoundTrip() {
        LicenseBatch batch = new LicenseBatch(List.of(license, license));
        assertEquals(batch.licenses(), LicenseBatch.decode(batch.encode()).licenses());

        Rebinding.Refused refused = new Rebinding.Refused(license.keyId(), Rebinding.Refusal.DEVICE_LIMIT_REACHED,
                "on 4 devices", Optional.of("https://support.example/?kid=x"));
        Rebinding.Refused withoutUrl = new Rebinding.Refused(license.keyId(), Rebinding.Refusal.NOT_GENUINE, "forged", Optional.empty());
        List<Rebinding> rebindings = List.of(new Rebinding.Rebound(license), refused, withoutUrl);
        assertEquals(rebindings, Messages.RebindingList.decode(new Messages.RebindingList(rebindings).encode()).rebindings());

        List<Allowance> allowances = List.of(new Allowance(license.keyId(), 3, 4, true));
        assertEquals(allowances, Messages.AllowanceList.decode(new Messages.AllowanceList(allowances).encode()).allowances());

        Messages.ReleaseRequest release = new Messages.ReleaseRequest(new Messages.DeviceKeys(new byte[32], new byte[32]),
                List.of(license.keyId()));
        assertEquals(release.keyIds(), Messages.ReleaseRequest.decode(release.encode()).keyIds());
    }

    @Test
    void aBatchCountOverTheLimitIsTooLargeBeforeAnythingIsRead() {
        byte[] body = ByteBuffer.allocate(4).putInt(Limits.MAX_BATCH_LICENSES + 1).array();

        assertCode(ErrorCode.TOO_LARGE, () -> LicenseBatch.decode(body));
        assertThrows(IllegalArgumentException.class,
                () -> new LicenseBatch(java.util.Collections.nCopies(Limits.MAX_BATCH_LICENSES + 1, license)).encode());
    }

    @Test
    void aCountThatCannotFitTheBodyIsMalformedWithoutAllocatingForIt() {
        // 2048 licenses announced, none sent: refused from the count alone.
        byte[] body = ByteBuffer.allocate(4).putInt(Limits.MAX_BATCH_LICENSES).array();
        assertCode(ErrorCode.MALFORMED_BODY, () -> LicenseBatch.decode(body));
        // A license length of 2 GiB announced: refused from the length alone.
        byte[] hugeLength = ByteBuffer.allocate(8).putInt(1).putInt(Integer.MAX_VALUE).array();
        assertCode(ErrorCode.MALFORMED_BODY, () -> LicenseBatch.decode(hugeLength));
    }

    @Test
    void aBodyOverTheLimitIsTooLarge() {
        assertCode(ErrorCode.TOO_LARGE, () -> LicenseBatch.decode(new byte[Limits.MAX_BODY_BYTES + 1]));
    }

    @Test
    void truncatedExtendedOrDamagedBodiesAreMalformed() {
        byte[] good = new LicenseBatch(List.of(license)).encode();
        List<byte[]> bad = new ArrayList<>();
        for (int cut = 0; cut < good.length; cut += 7) {
            bad.add(Arrays.copyOf(good, cut));
        }
        bad.add(Arrays.copyOf(good, good.length + 1));
        byte[] damagedLicense = good.clone();
        damagedLicense[8] = 99; // the license's version byte
        bad.add(damagedLicense);

        for (byte[] body : bad) {
            assertCode(ErrorCode.MALFORMED_BODY, () -> LicenseBatch.decode(body));
        }
        assertCode(ErrorCode.MALFORMED_BODY, () -> Messages.RebindingList.decode(new byte[] {0, 0, 0, 1, 9}));
        assertCode(ErrorCode.MALFORMED_BODY, () -> Messages.SessionOpened.decode(new Messages.NonceAnswer("not a session id").encode()));
        assertCode(ErrorCode.MALFORMED_BODY, () -> Messages.EscrowRequest.decode(new byte[] {0, 2, (byte) 0xC3, 0x28, 0, 0}));
    }

    @Test
    void theLicenseFieldAllowsTheLongestLicenseTheCodecAllows() {
        assertEquals(LicenseCodec.MAX_LICENSE_BYTES, Limits.MAX_LICENSE_BYTES);
        byte[] encoded = LicenseCodec.encode(license);
        assertArrayEquals(encoded, LicenseCodec.encode(LicenseBatch.decode(new LicenseBatch(List.of(license)).encode()).licenses().get(0)));
    }

    @Test
    void errorBodiesRoundTripAndAnythingElseReadsAsInternal() {
        ErrorBody error = new ErrorBody(ErrorCode.REPLAYED, "sequence 3 \"was\" used\n already");
        assertEquals(error, ErrorBody.decode(error.encode()));
        assertEquals("{\"error\":\"TOO_LARGE\",\"message\":\"x\"}", new String(new ErrorBody(ErrorCode.TOO_LARGE, "x").encode()));
        assertEquals(ErrorCode.INTERNAL, ErrorBody.decode("<html>".getBytes()).code());
        assertEquals(ErrorCode.INTERNAL, ErrorBody.decode("{\"error\":\"NEW_CODE\",\"message\":\"\"}".getBytes()).code());
    }

    @Test
    void sessionPathsNameTheirAction() {
        String id = "AAAAAAAAAAAAAAAAAAAAAA";
        assertEquals(Optional.of(new Endpoints.SessionCall(id, Endpoints.SessionAction.REBIND)),
                Endpoints.sessionCall(Endpoints.SessionAction.REBIND.path(id)));
        assertEquals(Optional.empty(), Endpoints.sessionCall(Endpoints.SESSIONS + "/short/commit"));
        assertEquals(Optional.empty(), Endpoints.sessionCall(Endpoints.SESSIONS + "/" + id + "/nothing"));
    }

    @Test
    void aTransportedFileKeyOpensOnlyOnItsDeviceInItsSessionForItsBackup() {
        DeviceIdentity device = TestDevices.generate();
        byte[] fileKey = new byte[32];
        fileKey[9] = 5;
        byte[] context = "backup header".getBytes(StandardCharsets.US_ASCII);
        String sessionId = "AAAAAAAAAAAAAAAAAAAAAA";

        byte[] wrapped = FileKeyTransport.wrapForDevice(fileKey, sessionId, context, device.agreementPublicKey());

        assertArrayEquals(fileKey, FileKeyTransport.unwrapOnDevice(wrapped, sessionId, context, device));
        assertThrows(CryptoException.class, () -> FileKeyTransport.unwrapOnDevice(wrapped, sessionId, context, TestDevices.generate()));
        assertThrows(CryptoException.class, () -> FileKeyTransport.unwrapOnDevice(wrapped, "BAAAAAAAAAAAAAAAAAAAAA", context, device));
        assertThrows(CryptoException.class, () -> FileKeyTransport.unwrapOnDevice(wrapped, sessionId, "other header".getBytes(StandardCharsets.US_ASCII), device));
        assertThrows(CryptoException.class, () -> FileKeyTransport.wrapForDevice(new byte[16], sessionId, context, device.agreementPublicKey()));
    }

    private static void assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable executable) {
        assertEquals(code, assertThrows(ProtocolException.class, executable).code());
    }
}
