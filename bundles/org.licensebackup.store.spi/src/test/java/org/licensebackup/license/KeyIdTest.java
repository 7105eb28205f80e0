package org.licensebackup.license;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyIdTest {

    @Test
    void parsesWhatItPrints() {
        KeyId keyId = SampleLicenses.KEY_ID;

        assertEquals(keyId, KeyId.parse(keyId.toString()));
        assertArrayEquals(keyId.bytes(), KeyId.parse(keyId.toString()).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "AQIDBAUGBwgJCgsMDQ4PEA=", "AQIDBAUGBwgJCgsMDQ4PEA==?", "AQID BAUGBwgJCgsMDQ4PEA=="})
    void refusesWhatIsNotBase64(String text) {
        assertThrowsExactly(MalformedLicenseException.class, () -> KeyId.parse(text));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 17, 32})
    void refusesBase64OfAnotherLengthThan16Bytes(int length) {
        String base64 = Base64.getEncoder().encodeToString(new byte[length]);

        assertThrowsExactly(MalformedLicenseException.class, () -> KeyId.parse(base64));
        assertThrowsExactly(MalformedLicenseException.class, () -> KeyId.of(new byte[length]));
    }

    @Test
    void keepsItsBytesFromTheCallersArray() {
        byte[] bytes = SampleLicenses.KEY_ID.bytes();
        KeyId keyId = KeyId.of(bytes);
        bytes[0] ^= 1;

        assertEquals(SampleLicenses.KEY_ID, keyId);
    }
}
