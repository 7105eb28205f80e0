package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BackupRecordTest {

    private static final byte[] CONTENT_KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @Test
    void refusesALicenseOverTheLimit() {
        assertThrows(IllegalArgumentException.class,
                () -> new BackupRecord(new byte[BackupRecord.MAX_LICENSE_LENGTH + 1], CONTENT_KEY));
    }

    @Test
    void refusesAContentKeyThatIsNotSixteenBytes() {
        assertThrows(IllegalArgumentException.class, () -> new BackupRecord(new byte[10], new byte[15]));
    }

    @Test
    void keepsItsOwnCopies() {
        byte[] license = {1, 2, 3};
        byte[] contentKey = CONTENT_KEY.clone();
        BackupRecord record = new BackupRecord(license, contentKey);
        license[0] = 9;
        contentKey[0] = 9;
        record.license()[1] = 9;
        record.contentKey()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, record.license());
        assertArrayEquals(CONTENT_KEY, record.contentKey());
    }

    @Test
    void equalsByContent() {
        assertEquals(new BackupRecord(new byte[] {1, 2}, CONTENT_KEY), new BackupRecord(new byte[] {1, 2}, CONTENT_KEY.clone()));
        assertEquals(new BackupRecord(new byte[] {1, 2}, CONTENT_KEY).hashCode(),
                new BackupRecord(new byte[] {1, 2}, CONTENT_KEY.clone()).hashCode());
    }

    @Test
    void neverPrintsTheContentKey() {
        String printed = new BackupRecord(new byte[] {1, 2}, CONTENT_KEY).toString();
        assertFalse(printed.toLowerCase().contains("00112233"), printed);
        assertFalse(printed.contains(java.util.Arrays.toString(CONTENT_KEY)), printed);
    }
}
