package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files whose every MAC and signature holds, made by a holder of the keys, but whose records break
 * the format's rules: only the reader's structural checks stand between them and the caller.
 */
class ForgedRecordsTest {

    @TempDir
    Path directory;

    private final BackupFixture fixture = new BackupFixture();
    private final KeyHolder keyHolder = new KeyHolder(fixture.recipientKeys, fixture.deviceKeys);

    @Test
    void theSpecificationAloneReadsAndWritesTheFormat() throws IOException {
        List<BackupRecord> records = BackupFixture.recordsOverChunks(1, 2);
        byte[] genuine = Files.readAllBytes(fixture.write(directory.resolve("genuine.lbk"), records));
        byte[] resealed = keyHolder.seal(genuine, keyHolder.records(genuine), records.size(), true);
        assertEquals(records, fixture.readAll(Files.write(directory.resolve("resealed.lbk"), resealed)));
    }

    @Test
    void refusesARecordLongerThanTheLimit() throws IOException {
        int overLimit = BackupRecord.MAX_LICENSE_LENGTH + 1;
        byte[] records = concat(KeyHolder.frame(overLimit, new byte[overLimit]),
                KeyHolder.frame(0, new byte[0]));
        assertRefused(records, 2, "over the limit");
    }

    @Test
    void refusesARecordLengthFarBeyondTheFileWithoutAllocatingIt() throws IOException {
        byte[] records = concat(KeyHolder.frame(Integer.MAX_VALUE, new byte[20]));
        assertRefused(records, 1, "over the limit");
    }

    @Test
    void refusesALicenseThatRunsPastTheRecords() throws IOException {
        byte[] records = concat(KeyHolder.frame(100, new byte[50]));
        assertRefused(records, 1, "past the end");
    }

    @Test
    void refusesMoreRecordsThanTheHeaderCounts() throws IOException {
        byte[] records = concat(KeyHolder.frame(3, new byte[3]), KeyHolder.frame(4, new byte[4]));
        assertRefused(records, 1, "follow the last record");
    }

    @Test
    void refusesFewerRecordsThanTheHeaderCounts() throws IOException {
        byte[] records = concat(KeyHolder.frame(30, new byte[30]), KeyHolder.frame(40, new byte[40]));
        assertRefused(records, 3, "past the end");
    }

    @Test
    void refusesALastChunkWithoutTheLastChunkFlag() throws IOException {
        byte[] genuine = genuine();
        byte[] forged = keyHolder.seal(genuine, keyHolder.records(genuine), 2, false);
        BackupFormatException refused = assertThrows(BackupFormatException.class,
                () -> fixture.readAll(Files.write(directory.resolve("unflagged.lbk"), forged)));
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
    }

    private void assertRefused(byte[] records, long recordCount, String because) throws IOException {
        byte[] forged = keyHolder.seal(genuine(), records, recordCount, true);
        Path file = Files.write(directory.resolve("forged.lbk"), forged);
        BackupFormatException refused = assertThrows(BackupFormatException.class, () -> fixture.readAll(file));
        assertEquals(BackupFormatException.Kind.CORRUPT, refused.kind());
        assertTrue(refused.getMessage().contains(because), refused.getMessage());
    }

    private byte[] genuine() throws IOException {
        return Files.readAllBytes(fixture.write(directory.resolve("genuine.lbk"), true, BackupFixture.records(2, 30, 40)));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }
}
