package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackupRecordTest {

    @Test
    void refusesALicenseOverTheLimit() {
        assertThrows(IllegalArgumentException.class, () -> new BackupRecord(new byte[BackupRecord.MAX_LICENSE_LENGTH + 1]));
    }

    @Test
    void keepsItsOwnCopy() {
        byte[] license = {1, 2, 3};
        BackupRecord record = new BackupRecord(license);
        license[0] = 9;
        record.license()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, record.license());
    }

    @Test
    void equalsByContent() {
        assertEquals(new BackupRecord(new byte[] {1, 2}), new BackupRecord(new byte[] {1, 2}));
        assertEquals(new BackupRecord(new byte[] {1, 2}).hashCode(), new BackupRecord(new byte[] {1, 2}).hashCode());
    }
}
