package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.Rights;

/**
 * Backups made to pass for a victim's own, as an attacker makes them with what every backup header
 * shows (the victim's device ID and public keys) and a writer of his own that follows the format
 * ({@link ForgedBackups}): each would have been restored offline as the victim's own, licenses and
 * all, while a backup was this device's by its ID alone. Restored and verified on the victim's home,
 * with and without a license server, each ends in one line, RESTORE_FRAUD (or BACKUP_CORRUPT where
 * the header's own signature fails, which is all a reader can tell of it), and the victim's store,
 * key and every backup stay byte for byte as they were.
 */
class ForgedBackupIT extends ProcessTestSupport {

    /** A forged backup in a directory of its own, and the start of the one line a restore or verify of it must print. */
    private record Forged(String name, Path directory, String errorLine) {
    }

    @Test
    void backupsMadeToPassForThisDevicesAreRefusedOfflineAndChangeNothing() throws Exception {
        Origin victim = origin("forged-backups-offline", 20);
        succeed(victim.home(), List.of(), "backup", victim.backup());
        ForgedBackups.PublicHeader shown = ForgedBackups.PublicHeader.of(onlyBackupIn(Path.of(victim.backup())));

        assertEachRefusedChangingNothing(victim, forge(victim.root(), shown), List.of());
    }

    @Test
    void backupsMadeToPassForThisDevicesAreRefusedWithAServerAndChangeNothing() throws Exception {
        Origin victim = origin("forged-backups-online", 20);
        try (ServerProcess server = serverFor(victim)) {
            backUp(victim, server);
            ForgedBackups.PublicHeader shown = ForgedBackups.PublicHeader.of(onlyBackupIn(Path.of(victim.backup())));

            assertEachRefusedChangingNothing(victim, forge(victim.root(), shown), server.hostOptions());
        }
    }

    /**
     * The attacker's backups, each of licenses his own issuer bound to the victim, signed with his
     * own key; where the victim's backup names a server, they name it too, escrowing his own key.
     */
    private static List<Forged> forge(Path root, ForgedBackups.PublicHeader victim) throws IOException {
        Ed25519PrivateKeyParameters stranger = ForgedBackups.newSigningKey();
        X25519PrivateKeyParameters strangersAgreement = new X25519PrivateKeyParameters(new SecureRandom());
        byte[] strangersAgreementKey = strangersAgreement.generatePublicKey().getEncoded();
        String strangersKey = Base64.getEncoder().encodeToString(stranger.generatePublicKey().getEncoded());
        List<byte[]> planted = planted(victim);
        Instant now = Instant.now();
        String passedOff = "error: RESTORE_FRAUD: the backup claims to be this device's (" + victim.deviceId()
                + "), but is not signed by it: its signing key is " + strangersKey + ", this device's is "
                + Base64.getEncoder().encodeToString(victim.signingKey());
        String madeUpId = "my-very-own-device";

        List<Forged> forged = new ArrayList<>();
        // (1) signed by the stranger, with the victim's ID and agreement key: what a device's ID alone let through
        forged.add(write(root, "stranger-signed", ForgedBackups.Forgery.coherent(stranger, victim.agreementKey(), now, planted)
                .withDeviceId(victim.deviceId()), victim, strangersAgreement, passedOff));
        // (2) wrong IDs, not the ones their keys make: the victim's on the stranger's own keys, and one made up
        forged.add(write(root, "victims-id-on-strangers-keys", ForgedBackups.Forgery.coherent(stranger, strangersAgreementKey, now,
                planted).withDeviceId(victim.deviceId()), victim, strangersAgreement, passedOff));
        forged.add(write(root, "made-up-id", ForgedBackups.Forgery.coherent(stranger, strangersAgreementKey, now, planted)
                .withDeviceId(madeUpId), victim, strangersAgreement, "error: RESTORE_FRAUD: the backup claims to be device "
                + madeUpId + "'s, but is not signed by it: its signing key " + strangersKey + " and agreement key make device "
                + ForgedBackups.deviceIdOf(stranger.generatePublicKey().getEncoded(), strangersAgreementKey)));
        // (3) swapped keys: the victim's signing key named, but the stranger's signature (a reader can tell only that the
        // header's signature fails, not who made it); the victim's agreement key beside the stranger's signing key
        forged.add(write(root, "victims-signing-key-named", ForgedBackups.Forgery.coherent(stranger, victim.agreementKey(), now,
                planted).withHeaderSigningKey(victim.signingKey()).withDeviceId(victim.deviceId()), victim, strangersAgreement,
                "error: BACKUP_CORRUPT: the header's signature does not verify: altered or damaged"));
        forged.add(write(root, "victims-agreement-key-swapped-in", ForgedBackups.Forgery.coherent(stranger, victim.agreementKey(),
                now, planted), victim, strangersAgreement, passedOff));
        return forged;
    }

    private static Forged write(Path root, String name, ForgedBackups.Forgery forgery, ForgedBackups.PublicHeader victim,
            X25519PrivateKeyParameters strangersAgreement, String errorLine) throws IOException {
        ForgedBackups.Forgery withService = victim.serviceKey() == null ? forgery
                : forgery.withService(new ForgedBackups.Service(victim.serviceKey(), victim.serviceSigningKey(), forgery.deviceId(),
                        strangersAgreement.getEncoded()));
        Path directory = root.resolve("forged").resolve(name);
        ForgedBackups.write(directory.resolve("licenses.lbk"), withService);
        return new Forged(name, directory, errorLine);
    }

    /** Five licenses of the stranger's issuer, which no server of the victim's trusts, bound to the victim. */
    private static List<byte[]> planted(ForgedBackups.PublicHeader victim) {
        Issuer strangersIssuer = Issuer.generate("Stranger's Issuer");
        List<byte[]> licenses = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            licenses.add(LicenseCodec.encode(strangersIssuer.issue(LicenseSpec.of("Planted film " + n,
                    Rights.unlimited().withBackupAllowed(true)), victim.deviceId(), victim.agreementKey())));
        }
        return licenses;
    }

    private void assertEachRefusedChangingNothing(Origin victim, List<Forged> forged, List<String> options) throws IOException {
        List<String> listed = keyIds(victim.home());
        List<Path> untouchable = new ArrayList<>(storeFiles(victim.home()));
        untouchable.add(victim.home().resolve("device.key"));
        untouchable.add(onlyBackupIn(Path.of(victim.backup())));
        forged.forEach(backup -> untouchable.add(onlyBackupIn(backup.directory())));
        Map<Path, byte[]> before = contents(untouchable);

        for (Forged backup : forged) {
            assertOneErrorLine(run(victim.home(), options, "restore", backup.directory().toString(), "--rebind"), backup.errorLine());
            assertOneErrorLine(run(victim.home(), options, "verify", backup.directory().toString()), backup.errorLine());
            Map<Path, byte[]> after = contents(untouchable);
            before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), backup.name() + " changed " + file));
        }
        assertEquals(listed, keyIds(victim.home()));
    }

    private static Map<Path, byte[]> contents(List<Path> files) throws IOException {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (Path file : files) {
            contents.put(file, Files.readAllBytes(file));
        }
        return contents;
    }

    private static Path onlyBackupIn(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> backups = files.filter(file -> file.getFileName().toString().endsWith(".lbk")).toList();
            assertEquals(1, backups.size(), () -> "backups in " + directory + ": " + backups);
            return backups.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
