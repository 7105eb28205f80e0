package org.licensebackup.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FileKeyWrapTest {

    private static final byte[] CONTEXT = "header bytes".getBytes(StandardCharsets.US_ASCII);

    private final RawKeyPair recipient = KeyAgreement.generate();
    private final byte[] fileKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void version2OpensForItsRecipientAndContextOnly() {
        byte[] wrapped = FileKeyWrap.wrap(fileKey, recipient.publicKey(), CONTEXT);
        assertEquals(FileKeyWrap.WRAPPED_V2_LENGTH, wrapped.length);
        assertEquals(FileKeyWrap.VERSION_2, wrapped[0]);
        assertArrayEquals(fileKey, FileKeyWrap.unwrap(wrapped, recipient, CONTEXT));
        assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(wrapped, KeyAgreement.generate(), CONTEXT));
        assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(wrapped, recipient, "other".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void version1FromKeyWrapStillOpens() {
        byte[] wrapped = KeyWrap.wrap(fileKey, recipient.publicKey(), CONTEXT);
        assertEquals(FileKeyWrap.WRAPPED_V1_LENGTH, wrapped.length);
        assertArrayEquals(fileKey, FileKeyWrap.unwrap(wrapped, recipient, CONTEXT));
    }

    @Test
    void refusesEverySingleBitFlipTruncationAndExtension() {
        byte[] wrapped = FileKeyWrap.wrap(fileKey, recipient.publicKey(), CONTEXT);
        for (int position = 0; position < wrapped.length; position++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = wrapped.clone();
                damaged[position] ^= (byte) (1 << bit);
                assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(damaged, recipient, CONTEXT), "byte " + position);
            }
        }
        for (int length = 0; length <= wrapped.length + 1; length++) {
            if (length != wrapped.length && length != FileKeyWrap.WRAPPED_V1_LENGTH) {
                byte[] cut = Arrays.copyOf(wrapped, length);
                assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(cut, recipient, CONTEXT), "length " + length);
            }
        }
        // cut by one byte it has version 1's length, and is refused as a version 1 wrap
        assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(Arrays.copyOf(wrapped, FileKeyWrap.WRAPPED_V1_LENGTH), recipient, CONTEXT));
        assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(null, recipient, CONTEXT));
    }

    @Test
    void refusesALowOrderEncapsulatedKey() {
        byte[] wrapped = FileKeyWrap.wrap(fileKey, recipient.publicKey(), CONTEXT);
        Arrays.fill(wrapped, 1, 33, (byte) 0);
        assertThrows(CryptoException.class, () -> FileKeyWrap.unwrap(wrapped, recipient, CONTEXT));
    }

    @Test
    void refusesUnusableInputsToWrap() {
        assertThrows(CryptoException.class, () -> FileKeyWrap.wrap(fileKey, new byte[32], CONTEXT));
        assertThrows(CryptoException.class, () -> FileKeyWrap.wrap(fileKey, new byte[31], CONTEXT));
        assertThrows(CryptoException.class, () -> FileKeyWrap.wrap(new byte[16], recipient.publicKey(), CONTEXT));
    }
}
