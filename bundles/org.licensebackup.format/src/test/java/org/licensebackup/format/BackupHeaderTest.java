package org.licensebackup.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class BackupHeaderTest {

    private static final byte[] SIGNING_KEY = new byte[32];
    private static final byte[] AGREEMENT_KEY = filled(32, 7);
    private static final byte[] RECIPIENT_KEY = filled(32, 9);
    private static final Instant CREATED_AT = Instant.parse("2024-05-17T10:15:30Z");

    private static BackupHeader header(byte[] escrow) {
        return new BackupHeader(2, "device", SIGNING_KEY, AGREEMENT_KEY, ServiceRecipient.withoutSigningKey(RECIPIENT_KEY, escrow),
                CREATED_AT);
    }

    private static byte[] escrow(int fill) {
        return filled(Format.DEVICE_KEY_ESCROW_LENGTH, fill);
    }

    private static byte[] filled(int length, int fill) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) fill);
        return bytes;
    }

    @Test
    void keepsItsOwnCopyOfTheKeysAndTheEscrow() {
        byte[] escrow = escrow(0x5a);
        byte[] agreementKey = AGREEMENT_KEY.clone();
        BackupHeader header = new BackupHeader(2, "device", SIGNING_KEY, agreementKey,
                ServiceRecipient.withoutSigningKey(RECIPIENT_KEY, escrow), CREATED_AT);
        escrow[0] = 0;
        agreementKey[0] = 0;
        header.service().orElseThrow().deviceKeyEscrow()[1] = 0;
        header.deviceAgreementKey().orElseThrow()[1] = 0;
        assertArrayEquals(escrow(0x5a), header.service().orElseThrow().deviceKeyEscrow());
        assertArrayEquals(AGREEMENT_KEY, header.deviceAgreementKey().orElseThrow());
    }

    @Test
    void equalsByContentEscrowIncluded() {
        assertEquals(header(escrow(1)), header(escrow(1)));
        assertEquals(header(escrow(1)).hashCode(), header(escrow(1)).hashCode());
        assertNotEquals(header(escrow(1)), header(escrow(2)));
        assertNotEquals(header(escrow(1)), new BackupHeader(2, "device", SIGNING_KEY, AGREEMENT_KEY, null, CREATED_AT));
    }

    @Test
    void printsTheEscrowByItsLengthOnly() {
        String printed = header(escrow(0x5a)).toString();
        assertFalse(printed.contains(HexFormat.of().formatHex(escrow(0x5a), 0, 4)), printed);
        assertFalse(printed.contains("[90, 90"), printed);
        assertTrue(printed.contains(Format.DEVICE_KEY_ESCROW_LENGTH + " bytes"), printed);
    }
}
