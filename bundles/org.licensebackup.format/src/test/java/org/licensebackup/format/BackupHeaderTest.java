package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BackupHeaderTest {

    private static final byte[] SIGNING_KEY = new byte[32];
    private static final byte[] RECIPIENT_KEY = new byte[32];
    private static final Instant CREATED_AT = Instant.parse("2024-05-17T10:15:30Z");

    private static BackupHeader header(byte[] escrow) {
        return new BackupHeader(1, "device", SIGNING_KEY, RECIPIENT_KEY, CREATED_AT, 3, escrow);
    }

    private static byte[] escrow(int fill) {
        byte[] escrow = new byte[FormatV1.DEVICE_KEY_ESCROW_LENGTH];
        java.util.Arrays.fill(escrow, (byte) fill);
        return escrow;
    }

    @Test
    void keepsItsOwnCopyOfTheEscrow() {
        byte[] escrow = escrow(0x5a);
        BackupHeader header = header(escrow);
        escrow[0] = 0;
        header.deviceKeyEscrow()[1] = 0;
        assertArrayEquals(escrow(0x5a), header.deviceKeyEscrow());
    }

    @Test
    void equalsByContentEscrowIncluded() {
        assertEquals(header(escrow(1)), header(escrow(1)));
        assertEquals(header(escrow(1)).hashCode(), header(escrow(1)).hashCode());
        assertNotEquals(header(escrow(1)), header(escrow(2)));
    }

    @Test
    void printsTheEscrowByItsLengthOnly() {
        String printed = header(escrow(0x5a)).toString();
        assertFalse(printed.contains(HexFormat.of().formatHex(escrow(0x5a), 0, 4)), printed);
        assertFalse(printed.contains("[90, 90"), printed);
    }
}
