package org.licensebackup.options;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicKeysTest {

    /** Bytes whose base64 holds both alphabets' own characters (+ and / against - and _). */
    private static final byte[] KEY = new byte[32];
    static {
        IntStream.range(0, KEY.length).forEach(i -> KEY[i] = (byte) (0xFB + i * 7));
    }

    @Test
    void printsStandardBase64WithPaddingAndTakesTheUrlSafeSpellingToo() {
        String printed = PublicKeys.format(KEY);
        assertEquals(Base64.getEncoder().encodeToString(KEY), printed);
        assertTrue(printed.endsWith("="), printed);
        assertArrayEquals(KEY, PublicKeys.parse("--trust", printed));
        assertArrayEquals(KEY, PublicKeys.parse("--trust", Base64.getUrlEncoder().withoutPadding().encodeToString(KEY)));
        assertArrayEquals(KEY, PublicKeys.parse("--trust", " " + printed + "\n"));
    }

    @Test
    void refusesWhatIsNotBase64OrNotThirtyTwoBytesNamingTheOption() {
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> PublicKeys.parse("--trust", "garbage!"));
        assertEquals("--trust: not a key in base64: garbage!", garbage.getMessage());
        IllegalArgumentException short31 = assertThrows(IllegalArgumentException.class,
                () -> PublicKeys.parse("--trust", Base64.getEncoder().encodeToString(new byte[31])));
        assertTrue(short31.getMessage().startsWith("--trust: a public key has 32 bytes, this one 31"), short31.getMessage());
        assertFalse(PublicKeys.isKey(""));
    }

    @Test
    void aMissingFileIsNamedInPlainWords(@TempDir Path folder) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> Options.readText("--trust", folder.resolve("absent.pub")));
        assertEquals("--trust: there is no file " + folder.resolve("absent.pub"), missing.getMessage());
        IOException isFolder = assertThrows(IOException.class, () -> Options.readText("--trust", folder));
        assertTrue(isFolder.getMessage().endsWith("is a folder, not a file"), isFolder.getMessage());
        Files.writeString(folder.resolve("present"), "text");
        assertEquals("text", Options.readText("--trust", folder.resolve("present")));
    }
}
