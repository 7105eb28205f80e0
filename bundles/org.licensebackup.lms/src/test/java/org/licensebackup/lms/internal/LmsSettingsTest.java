package org.licensebackup.lms.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LmsSettingsTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void leavesOutBlankKeysAsConfigurationToolsWriteThem() {
        LmsSettings settings = LmsSettings.of(4, new String[] {"", " " + KEY + " "}, true);

        assertEquals(Set.of(KEY), settings.trustedIssuerKeys());
        assertTrue(settings.trustsIssuer(new byte[32]));
    }

    @Test
    void refusesAKeyThatIsNotBase64() {
        assertThrows(IllegalArgumentException.class, () -> LmsSettings.of(4, new String[] {"not base64!"}, true));
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);

        assertThrows(IllegalArgumentException.class, () -> LmsSettings.of(4, new String[] {shortKey}, true));
    }

    @Test
    void refusesADeviceLimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> LmsSettings.of(0, new String[0], true));
    }
}
