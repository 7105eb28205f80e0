package org.licensebackup.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class DeviceIdsTest {

    /**
     * A known answer, worked out apart from this code (Python's hashlib and base64 on the golden
     * files' test keys): a change to the rule would make every device a new one, so it shows here first.
     */
    @Test
    void anIdIsTheBase64urlOfTheFirstSixteenBytesOfTheHashOfBothKeys() {
        HexFormat hex = HexFormat.of();
        byte[] signing = hex.parseHex("030c1be73b7494db54d594a0bbf28c2b86ea7457d3f44906d7c7298cf831e833");
        byte[] agreement = hex.parseHex("703adfc1e6d48feccaa06a67e1aaba7c4020352a03c4aeae70d35c4b2d6b1827");
        assertEquals("YTTG52lZcwnlYY2Zlo3cjQ", DeviceIds.of(signing, agreement));
    }

    @Test
    void eachKeyAndTheirOrderChangeTheId() {
        byte[] signing = Signatures.generate().publicKey();
        byte[] agreement = KeyAgreement.generate().publicKey();
        String id = DeviceIds.of(signing, agreement);
        assertNotEquals(id, DeviceIds.of(Signatures.generate().publicKey(), agreement));
        assertNotEquals(id, DeviceIds.of(signing, KeyAgreement.generate().publicKey()));
        assertNotEquals(id, DeviceIds.of(agreement, signing));
    }
}
