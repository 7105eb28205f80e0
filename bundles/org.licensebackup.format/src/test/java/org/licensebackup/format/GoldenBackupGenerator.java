package org.licensebackup.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.licensebackup.crypto.ContentKeys;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;

/**
 * Writes the golden backups of the format version the writer writes, which {@link GoldenBackupTest}
 * (version 1) and {@link GoldenBackupV2Test} (version 2) read: one with three real licenses, one
 * with no record, one with three licenses made without a license management service (version 2
 * on), and {@value #DESCRIPTION_FILE}, which holds the keys that open them and what they must
 * contain. Run by hand, once per format version, from the module's folder:
 *
 * <pre>
 * mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/test.classpath) \
 *     org.licensebackup.format.GoldenBackupGenerator src/test/resources/golden/v2
 * </pre>
 *
 * It refuses to replace a file that exists: a golden file, once committed, is a file that readers
 * of every later version must still open, so it is never made again. The version 1 files were made
 * by the version 1 writer, which is gone; every version's files use the same test keys.
 *
 * <p>The first version 2 files, in {@code golden/v2-made-up-id}, carried a device ID this generator
 * made up, where a device's ID is the one its keys make (docs/backup-format.md, 10.7): readers
 * refuse them as forged since that rule, which no device's backup ever broke (a device's ID was
 * always made from its keys). Those in {@code golden/v2} carry the ID of the test keys.
 *
 * <p>Every key is test-only: derived from a public label, so anyone can open these files.
 */
public final class GoldenBackupGenerator {

    static final String DESCRIPTION_FILE = "golden.properties";
    static final String THREE_LICENSES = "three-licenses.lbk";
    static final String EMPTY = "empty.lbk";
    /** Version 2 on: made by a device without a license management service. */
    static final String WITHOUT_SERVICE = "without-service.lbk";

    static final Instant CREATED_AT = Instant.parse("2025-01-02T03:04:05.123456789Z");

    private GoldenBackupGenerator() {
    }

    /** A key pair that anyone can make again: its private key is the SHA-256 of a public label. */
    static byte[] testOnlyPrivateKey(String label) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("org.licensebackup TEST ONLY golden key: " + label)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform lacks SHA-256", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the platform lacks SHA-256", e);
        }
    }

    public static void main(String[] arguments) throws IOException {
        if (arguments.length != 1) {
            throw new IllegalArgumentException("usage: GoldenBackupGenerator <directory for the golden files>");
        }
        Path directory = Path.of(arguments[0]);
        Path description = directory.resolve(DESCRIPTION_FILE);
        if (Files.exists(description)) {
            throw new IOException(description + " exists: golden files are never made again once committed");
        }
        HexFormat hex = HexFormat.of();
        RawKeyPair lmsKeys = KeyAgreement.fromPrivateKey(testOnlyPrivateKey("license management service X25519"));
        RawKeyPair lmsSigningKeys = Signatures.fromPrivateKey(testOnlyPrivateKey("license management service Ed25519"));
        RawKeyPair deviceKeys = Signatures.fromPrivateKey(testOnlyPrivateKey("device Ed25519"));
        RawKeyPair deviceAgreementKeys = KeyAgreement.fromPrivateKey(testOnlyPrivateKey("device X25519"));
        Issuer issuer = Issuer.fromPrivateKey("golden-issuer.example", testOnlyPrivateKey("issuer Ed25519"));
        // the ID the device's keys make, as a version 2 header must carry (the first version 2 files had a made-up one)
        String deviceId = DeviceIds.of(deviceKeys.publicKey(), deviceAgreementKeys.publicKey());

        List<LicenseSpec> specs = List.of(
                spec(1, "Ünïcödé Sönġ — 東京物語", Rights.unlimited().withBackupAllowed(true), Usage.NONE),
                spec(2, "Counted and dated", new Rights(true, Instant.parse("2024-01-01T00:00:00Z"),
                        Instant.parse("2030-12-31T23:59:59Z"), Duration.ofDays(30), 10, 2),
                        new Usage(3, 1, Instant.parse("2024-11-05T20:15:00.5Z"))),
                spec(3, "Plays only", Rights.unlimited().withBackupAllowed(true).withPlayCount(5), new Usage(5, 0,
                        Instant.parse("2024-12-24T18:00:00Z"))));
        List<byte[]> licenses = new ArrayList<>();
        for (LicenseSpec spec : specs) {
            License license = issuer.issue(spec, deviceId, deviceAgreementKeys.publicKey());
            licenses.add(LicenseCodec.encode(license));
        }

        StringBuilder properties = new StringBuilder()
                .append("# TEST-ONLY keys: derived from public labels (GoldenBackupGenerator), they protect nothing.\n")
                .append("# The golden files in this folder must never be made again: readers of every later format\n")
                .append("# version must still open them exactly as these lines say.\n")
                .append("lms.x25519.private=").append(hex.formatHex(lmsKeys.privateKey())).append('\n')
                .append("lms.x25519.public=").append(hex.formatHex(lmsKeys.publicKey())).append('\n')
                .append("lms.ed25519.public=").append(hex.formatHex(lmsSigningKeys.publicKey())).append('\n')
                .append("device.ed25519.public=").append(hex.formatHex(deviceKeys.publicKey())).append('\n')
                .append("device.x25519.private=").append(hex.formatHex(deviceAgreementKeys.privateKey())).append('\n')
                .append("device.x25519.public=").append(hex.formatHex(deviceAgreementKeys.publicKey())).append('\n')
                .append("issuer.ed25519.public=").append(hex.formatHex(issuer.publicKey())).append('\n')
                .append("device.id=").append(escape(deviceId)).append('\n')
                .append("created.at=").append(CREATED_AT).append('\n');
        byte[] escrow = DeviceKeyEscrow.wrap(deviceAgreementKeys, deviceId, lmsKeys.publicKey());
        ServiceRecipient service = ServiceRecipient.of(lmsKeys.publicKey(), lmsSigningKeys.publicKey(), escrow);
        write(directory.resolve(THREE_LICENSES), licenses, service, deviceId, deviceKeys, deviceAgreementKeys);
        describe(properties, THREE_LICENSES, licenses);
        for (int i = 0; i < specs.size(); i++) {
            String prefix = THREE_LICENSES + ".record." + i;
            properties.append(prefix).append(".keyId=").append(specs.get(i).keyId()).append('\n')
                    .append(prefix).append(".title=").append(escape(specs.get(i).title())).append('\n')
                    .append(prefix).append(".contentKey=").append(hex.formatHex(specs.get(i).contentKey())).append('\n');
        }
        write(directory.resolve(EMPTY), List.of(), service, deviceId, deviceKeys, deviceAgreementKeys);
        describe(properties, EMPTY, List.of());
        write(directory.resolve(WITHOUT_SERVICE), licenses, null, deviceId, deviceKeys, deviceAgreementKeys);
        describe(properties, WITHOUT_SERVICE, licenses);
        Files.writeString(description, properties, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE_NEW);
    }

    private static LicenseSpec spec(int number, String title, Rights rights, Usage usage) {
        byte[] keyId = new byte[KeyId.LENGTH];
        keyId[KeyId.LENGTH - 1] = (byte) number;
        byte[] contentKey = testOnlyPrivateKey("content key " + number);
        return new LicenseSpec(KeyId.of(keyId), "urn:content:golden-" + number, title, rights, usage,
                Arrays.copyOf(contentKey, ContentKeys.CONTENT_KEY_LENGTH));
    }

    /** @param service null for a device without a license management service */
    private static void write(Path target, List<byte[]> licenses, ServiceRecipient service, String deviceId, RawKeyPair deviceKeys,
            RawKeyPair deviceAgreementKeys) throws IOException {
        try (BackupWriter writer = BackupWriter.create(target, false, deviceId, BackupFixture.signer(deviceKeys),
                deviceAgreementKeys.publicKey(), service, CREATED_AT)) {
            for (byte[] license : licenses) {
                writer.write(new BackupRecord(license));
            }
            writer.commit();
        }
    }

    private static void describe(StringBuilder properties, String file, List<byte[]> licenses) {
        properties.append(file).append(".recordCount=").append(licenses.size()).append('\n');
        for (int i = 0; i < licenses.size(); i++) {
            properties.append(file).append(".record.").append(i).append(".sha256=")
                    .append(HexFormat.of().formatHex(sha256(licenses.get(i)))).append('\n');
        }
    }

    /** Properties files are ISO-8859-1: everything else goes in as a Unicode escape. */
    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 0x20 || c > 0x7E || c == '\\') {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
