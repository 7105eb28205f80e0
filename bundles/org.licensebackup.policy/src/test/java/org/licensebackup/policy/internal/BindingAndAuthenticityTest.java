package org.licensebackup.policy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.licensebackup.api.Reason;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.policy.Binding;

/** The rules a restorer used to keep itself: which device a license is bound to, and whether it is genuine. */
class BindingAndAuthenticityTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final String THIS_DEVICE = "this-device";
    private static final String BACKUP_DEVICE = "backup-device";

    private final IssuerRightsPolicy policy = new IssuerRightsPolicy();
    private final RawKeyPair issuer = Signatures.generate();
    private final Predicate<byte[]> trustsTheIssuer = signer -> Arrays.equals(signer, issuer.publicKey());

    @AfterEach
    void stopTheSignatureChecker() {
        policy.close();
    }

    @Test
    void aLicenseBoundToThisDeviceOpensHere() {
        assertEquals(Binding.THIS_DEVICE, policy.binding(signedLicense(THIS_DEVICE), THIS_DEVICE, BACKUP_DEVICE));
    }

    @Test
    void aLicenseBoundToTheDeviceThatMadeTheBackupIsForTheServiceToReBind() {
        assertEquals(Binding.BACKUP_DEVICE, policy.binding(signedLicense(BACKUP_DEVICE), THIS_DEVICE, BACKUP_DEVICE));
    }

    @Test
    void aLicenseBoundToNeitherDeviceIsLeftOutAsBoundToAnotherDevice() {
        Binding binding = policy.binding(signedLicense("a-third-device"), THIS_DEVICE, BACKUP_DEVICE);

        assertEquals(Binding.ANOTHER_DEVICE, binding);
        assertEquals(Optional.of(Reason.BOUND_TO_ANOTHER_DEVICE), binding.whyLeftOut());
    }

    @Test
    void aBackupThisDeviceMakesTakesOnlyLicensesBoundToIt() {
        assertEquals(Binding.THIS_DEVICE, policy.binding(signedLicense(THIS_DEVICE), THIS_DEVICE, THIS_DEVICE));
        assertEquals(Binding.ANOTHER_DEVICE, policy.binding(signedLicense(BACKUP_DEVICE), THIS_DEVICE, THIS_DEVICE));
    }

    @Test
    void onlyALicenseBoundToNeitherDeviceIsLeftOutForItsBinding() {
        assertEquals(Optional.empty(), Binding.THIS_DEVICE.whyLeftOut());
        assertEquals(Optional.empty(), Binding.BACKUP_DEVICE.whyLeftOut());
    }

    @Test
    void aLicenseSignedByATrustedIssuerIsGenuine() {
        assertArrayEquals(new boolean[] {true}, policy.genuine(List.of(signedLicense(THIS_DEVICE)), trustsTheIssuer));
    }

    @Test
    void aLicenseFromAnIssuerTheCallerDoesNotTrustIsNotGenuine() {
        assertArrayEquals(new boolean[] {false}, policy.genuine(List.of(signedLicense(THIS_DEVICE)), signer -> false));
    }

    @Test
    void aLicenseChangedAfterItsIssuerSignedItIsNotGenuine() {
        License signed = signedLicense(THIS_DEVICE);
        LicenseGrant moreRights = new LicenseGrant(signed.keyId(), "issuer", "content", signed.title(),
                signed.rights().withPlayCount(1000), THIS_DEVICE, new byte[48], NOW);
        License forged = License.of(moreRights, signed.signerKey(), signed.signature(), Usage.NONE);

        assertArrayEquals(new boolean[] {false}, policy.genuine(List.of(forged), trustsTheIssuer));
    }

    @Test
    void eachLicenseOfABatchCheckedInParallelGetsItsOwnAnswer() {
        RawKeyPair untrusted = Signatures.generate();
        List<License> batch = new ArrayList<>();
        boolean[] expected = new boolean[500];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i % 3 != 0;
            batch.add(signedLicense(THIS_DEVICE, expected[i] ? issuer : untrusted));
        }

        assertArrayEquals(expected, policy.genuine(batch, trustsTheIssuer));
    }

    private License signedLicense(String boundTo) {
        return signedLicense(boundTo, issuer);
    }

    private static License signedLicense(String boundTo, RawKeyPair signer) {
        byte[] keyId = new byte[16];
        new java.security.SecureRandom().nextBytes(keyId);
        LicenseGrant grant = new LicenseGrant(KeyId.of(keyId), "issuer", "content", "A Title",
                Rights.unlimited().withBackupAllowed(true), boundTo, new byte[48], NOW);
        return License.of(grant, signer.publicKey(), Signatures.sign(signer, LicenseCodec.encodeGrant(grant)), Usage.NONE);
    }
}
