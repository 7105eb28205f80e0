package org.licensebackup.device.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.device.DeviceRecord.StoreMark;
import org.licensebackup.device.DeviceRecordException;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.license.Usage;
import org.licensebackup.store.NumberedLicenses;

/** The device record: what it keeps, that it keeps it across restarts, and that a lost or altered file is never a fresh start. */
class DeviceRecordTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00.123456789Z");

    @TempDir
    Path home;

    private Path keyFile() {
        return home.resolve("device.key");
    }

    private Path recordFile() {
        return home.resolve("device.record");
    }

    @Test
    void aNewDeviceHasAnEmptyRecordBesideItsKeyAndItsKeyFileSaysSo() throws Exception {
        KeptRecord device = KeptRecord.open(keyFile());

        assertTrue(Files.isRegularFile(recordFile()));
        assertTrue(KeyFile.read(keyFile()).keepsRecord());
        assertEquals(Optional.empty(), device.lastStore());
        assertEquals(Usage.NONE, device.usageSeen(NumberedLicenses.license(1).keyId()));
    }

    @Test
    void keepsWhatWasReleasedUsedAndStoredAcrossRestarts() {
        License released = NumberedLicenses.license(1);
        License used = NumberedLicenses.license(2).withUsage(new Usage(3, 1, T));
        KeptRecord device = KeptRecord.open(keyFile());
        device.change().released(released, T).used(used).store(new StoreMark("embedded", 850, T)).commit();

        KeptRecord again = KeptRecord.open(keyFile());

        assertEquals(Optional.of(T), again.releasedAt(released));
        assertEquals(new Usage(3, 1, T), again.usageSeen(used.keyId()));
        assertEquals(Optional.of(new StoreMark("embedded", 850, T)), again.lastStore());
    }

    @Test
    void aReleaseIsOfThatVeryLicenseNotOfItsKeyIdIssuedAgain() {
        License released = NumberedLicenses.license(1);
        LicenseGrant grant = released.grant();
        License issuedAgain = License.of(grant, released.signerKey(), NumberedLicenses.license(2).signature(), Usage.NONE);
        KeptRecord device = KeptRecord.open(keyFile());

        device.change().released(released, T).commit();

        assertEquals(Optional.of(T), device.releasedAt(released.withUsage(new Usage(2, 0, T))));
        assertEquals(Optional.empty(), device.releasedAt(issuedAgain));
    }

    @Test
    void notReleasedTakesAReleaseBack() {
        License license = NumberedLicenses.license(1);
        KeptRecord device = KeptRecord.open(keyFile());
        device.change().released(license, T).commit();

        device.change().notReleased(license).commit();

        assertEquals(Optional.empty(), KeptRecord.open(keyFile()).releasedAt(license));
    }

    @Test
    void theRecordOfUseOnlyMovesForward() {
        License license = NumberedLicenses.license(5);
        KeptRecord device = KeptRecord.open(keyFile());
        device.change().used(license.withUsage(new Usage(4, 0, T))).commit();

        device.change().used(license.withUsage(new Usage(1, 2, T.minusSeconds(60)))).commit();

        assertEquals(new Usage(4, 2, T.minusSeconds(60)), KeptRecord.open(keyFile()).usageSeen(license.keyId()));
    }

    @Test
    void keepsTheRecordsOfUseOfManyLicensesAndFindsEach() {
        List<License> licenses = NumberedLicenses.licenses(0, 5_000);
        KeptRecord device = KeptRecord.open(keyFile());
        DeviceRecordChanges.useAll(device, 0, 2_500);
        DeviceRecordChanges.useAll(device, 2_000, 5_000);

        KeptRecord again = KeptRecord.open(keyFile());
        for (int i = 0; i < licenses.size(); i++) {
            assertEquals(DeviceRecordChanges.usageOf(i), again.usageSeen(licenses.get(i).keyId()), "license " + i);
        }
    }

    @Test
    void twoChangesMadeAtOnceKeepBoth() {
        KeptRecord device = KeptRecord.open(keyFile());
        var first = device.change().released(NumberedLicenses.license(1), T);
        var second = device.change().released(NumberedLicenses.license(2), T);

        first.commit();
        second.commit();

        assertTrue(device.releasedAt(NumberedLicenses.license(1)).isPresent());
        assertTrue(device.releasedAt(NumberedLicenses.license(2)).isPresent());
    }

    @Test
    void aMissingKeyWhereTheRecordShowsADeviceIsRefusedAndNoKeyIsMade() throws Exception {
        KeptRecord.open(keyFile());
        byte[] record = Files.readAllBytes(recordFile());
        Files.delete(keyFile());

        KeyFileException refused = assertThrows(KeyFileException.class, () -> KeptRecord.open(keyFile()));

        assertTrue(refused.getMessage().startsWith("the device key file " + keyFile() + " is missing, but this home had a device"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("newdevice"), refused.getMessage());
        assertFalse(Files.exists(keyFile()));
        assertArrayEquals(record, Files.readAllBytes(recordFile()));
    }

    @Test
    void aMissingRecordWhereTheKeyFileSaysItKeepsOneIsRefusedAndNoneIsMade() throws Exception {
        KeptRecord.open(keyFile());
        byte[] key = Files.readAllBytes(keyFile());
        Files.delete(recordFile());

        DeviceRecordException refused = assertThrows(DeviceRecordException.class, () -> KeptRecord.open(keyFile()));

        assertTrue(refused.getMessage().startsWith("the device record " + recordFile() + " is missing"), refused.getMessage());
        assertFalse(Files.exists(recordFile()));
        assertArrayEquals(key, Files.readAllBytes(keyFile()));
    }

    @Test
    void anAlteredTruncatedOrEmptiedRecordIsRefusedAndLeftAsItIs() throws Exception {
        KeptRecord.open(keyFile()).change().released(NumberedLicenses.license(1), T).commit();
        byte[] good = Files.readAllBytes(recordFile());
        byte[] altered = good.clone();
        altered[altered.length / 2] ^= 1;
        for (byte[] bad : List.of(altered, java.util.Arrays.copyOf(good, good.length - 1), new byte[0])) {
            Files.write(recordFile(), bad);

            DeviceRecordException refused = assertThrows(DeviceRecordException.class, () -> KeptRecord.open(keyFile()));

            assertTrue(refused.getMessage().startsWith("the device record " + recordFile() + " is damaged"), refused.getMessage());
            assertArrayEquals(bad, Files.readAllBytes(recordFile()));
        }
    }

    @Test
    void anotherDevicesRecordIsRefused() throws Exception {
        Path otherKey = home.resolve("other").resolve("device.key");
        KeptRecord.open(otherKey);
        KeptRecord.open(keyFile());
        Files.copy(RecordFile.beside(otherKey), recordFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThrows(DeviceRecordException.class, () -> KeptRecord.open(keyFile()));
    }

    @Test
    void aKeyFileFromBeforeRecordsGetsItsRecordAndKeepsItsKeys() throws Exception {
        DeviceKeys keys = DeviceKeys.generate();
        KeyFile.write(keyFile(), keys, false);

        KeptRecord device = KeptRecord.open(keyFile());

        assertEquals(keys.deviceId(), device.keys().deviceId());
        assertTrue(Files.isRegularFile(recordFile()));
        assertTrue(KeyFile.read(keyFile()).keepsRecord());
    }

    /** A new device interrupted between its record and its key file's mark: the mark must follow, or a lost record goes unseen. */
    @Test
    void aKeyFileOfVersionOneBesideItsRecordIsMarkedAndTheRecordCannotThenGoMissingUnseen() throws Exception {
        KeptRecord.open(keyFile()).change().released(NumberedLicenses.license(1), T).commit();
        DeviceKeys keys = KeyFile.read(keyFile()).keys();
        KeyFile.write(keyFile(), keys, false);

        KeptRecord device = KeptRecord.open(keyFile());

        assertEquals(Optional.of(T), device.releasedAt(NumberedLicenses.license(1)));
        assertTrue(KeyFile.read(keyFile()).keepsRecord());
        Files.delete(recordFile());
        assertThrows(DeviceRecordException.class, () -> KeptRecord.open(keyFile()));
        assertFalse(Files.exists(recordFile()));
    }

    @Test
    void newDeviceSetsTheKeyAndTheRecordAsideAndTheNextStartIsANewDevice() throws Exception {
        String oldId = KeptRecord.open(keyFile()).keys().deviceId();
        Files.delete(keyFile());

        List<Path> aside = NewDeviceCommand.setAside(keyFile(), Path.of("20261201T100000000Z"));

        assertEquals(List.of(home.resolve("previous-devices").resolve("20261201T100000000Z").resolve("device.record")), aside);
        assertFalse(Files.exists(recordFile()));
        assertFalse(oldId.equals(KeptRecord.open(keyFile()).keys().deviceId()));
    }
}
