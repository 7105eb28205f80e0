package org.licensebackup.issuer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

class IssuerTest {

    private final Issuer issuer = Issuer.generate("test issuer");
    private final RawKeyPair device = KeyAgreement.generate();
    private final LicenseSpec spec = LicenseSpec.of("Nosferatu", Rights.unlimited().withBackupAllowed(true));

    private License issueToDevice() {
        return issuer.issue(spec, "device-a", device.publicKey());
    }

    private static boolean signatureVerifies(License license) {
        return Signatures.verify(license.signerKey(), license.signedBytes(), license.signature());
    }

    @Test
    void signsWhatItIssues() {
        License license = issueToDevice();

        assertTrue(signatureVerifies(license));
        assertArrayEquals(issuer.publicKey(), license.signerKey());
    }

    @Test
    void issuesTheSpecifiedGrantUnderItsName() {
        License license = issuer.issue(spec.withUsage(new Usage(2, 1, Instant.EPOCH)), "device-a", device.publicKey());

        LicenseGrant grant = license.grant();
        assertEquals(spec.keyId(), grant.keyId());
        assertEquals("test issuer", grant.issuer());
        assertEquals("urn:content:" + spec.keyId(), grant.contentId());
        assertEquals("Nosferatu", grant.title());
        assertEquals(spec.rights(), grant.rights());
        assertEquals("device-a", grant.deviceId());
        assertEquals(new Usage(2, 1, Instant.EPOCH), license.usage());
    }

    @Test
    void wrapsTheContentKeyForTheDeviceItIssuesTo() {
        License license = issueToDevice();

        byte[] contentKey = ContentKeys.unwrap(license.grant().wrappedContentKey(), spec.keyId().bytes(), "device-a", device);

        assertArrayEquals(spec.contentKey(), contentKey);
    }

    @Test
    void wrapsTheContentKeyForNoOtherDevice() {
        License license = issueToDevice();
        RawKeyPair otherDevice = KeyAgreement.generate();

        assertThrows(CryptoException.class, () -> ContentKeys.unwrap(
                license.grant().wrappedContentKey(), spec.keyId().bytes(), "device-a", otherDevice));
        assertThrows(CryptoException.class, () -> ContentKeys.unwrap(
                license.grant().wrappedContentKey(), spec.keyId().bytes(), "device-b", device));
    }

    @Test
    void drawsAFreshContentKeyForEachIssueWhenTheSpecGivesNone() {
        LicenseSpec keyless = spec.withContentKey(null);

        byte[] first = unwrapContentKey(issuer.issue(keyless, "device-a", device.publicKey()));
        byte[] second = unwrapContentKey(issuer.issue(keyless, "device-a", device.publicKey()));

        assertEquals(ContentKeys.CONTENT_KEY_LENGTH, first.length);
        assertFalse(java.util.Arrays.equals(first, second));
    }

    private byte[] unwrapContentKey(License license) {
        return ContentKeys.unwrap(license.grant().wrappedContentKey(), license.keyId().bytes(), license.grant().deviceId(), device);
    }

    @Test
    void anAlteredGrantFailsVerification() {
        License license = issueToDevice();
        LicenseGrant grant = license.grant();
        LicenseGrant altered = new LicenseGrant(grant.keyId(), grant.issuer(), grant.contentId(), grant.title(),
                grant.rights().withPlayCount(1000), grant.deviceId(), grant.wrappedContentKey(), grant.issuedAt());

        License tampered = License.of(altered, license.signerKey(), license.signature(), license.usage());

        assertFalse(signatureVerifies(tampered));
    }

    @Test
    void keepsAValidSignatureThroughTheCodec() {
        License license = issuer.issue(spec.withRights(spec.rights().withPlayCount(3).withNotAfter(Instant.parse("2030-01-01T00:00:00Z"))),
                "device-a", device.publicKey());

        License decoded = LicenseCodec.decode(LicenseCodec.encode(license));

        assertEquals(license, decoded);
        assertTrue(signatureVerifies(decoded));
    }

    @Test
    void anIssuerRestoredFromItsPrivateKeySignsAsTheSameIssuer() {
        RawKeyPair keys = Signatures.generate();
        Issuer restored = Issuer.fromPrivateKey("restored", keys.privateKey());

        License license = restored.issue(spec, "device-a", device.publicKey());

        assertArrayEquals(keys.publicKey(), restored.publicKey());
        assertTrue(signatureVerifies(license));
    }

    @Test
    void licensesIssuedToOneDeviceShareOneEphemeralKeyAndStillOpenOneByOne() {
        License first = issueToDevice();
        License second = issuer.issue(LicenseSpec.of("Metropolis", Rights.unlimited()), "device-a", device.publicKey());
        byte[] firstWrapped = first.grant().wrappedContentKey();
        byte[] secondWrapped = second.grant().wrappedContentKey();

        assertEquals(ContentKeys.WRAPPED_V2_LENGTH, firstWrapped.length);
        assertArrayEquals(Arrays.copyOfRange(firstWrapped, 1, 33), Arrays.copyOfRange(secondWrapped, 1, 33));
        assertArrayEquals(spec.contentKey(), ContentKeys.unwrap(firstWrapped, spec.keyId().bytes(), "device-a", device));
        // the shared ephemeral key does not let one license's wrap open under another's key ID
        assertThrows(CryptoException.class, () -> ContentKeys.unwrap(secondWrapped, spec.keyId().bytes(), "device-a", device));
    }

    @Test
    void licensesIssuedToAnotherDeviceGetAnotherEphemeralKey() {
        byte[] forA = issueToDevice().grant().wrappedContentKey();
        byte[] forB = issuer.issue(spec, "device-b", KeyAgreement.generate().publicKey()).grant().wrappedContentKey();

        assertFalse(Arrays.equals(Arrays.copyOfRange(forA, 1, 33), Arrays.copyOfRange(forB, 1, 33)));
    }

    @Test
    void refusesAnUnusableDeviceKey() {
        assertThrows(CryptoException.class, () -> issuer.issue(spec, "device-a", new byte[32]));
    }

    @Test
    void refusesAPrivateKeyOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> Issuer.fromPrivateKey("bad", new byte[31]));
    }

    @Test
    void refusesAContentKeyOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> spec.withContentKey(new byte[15]));
    }

    @Test
    void givesEachSpecItsOwnKeyId() {
        KeyId first = LicenseSpec.of("a", Rights.unlimited()).keyId();
        KeyId second = LicenseSpec.of("a", Rights.unlimited()).keyId();

        assertFalse(first.equals(second));
    }
}
