package org.licensebackup.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class ContentKeyWrapV2Test {

    private static final String DEVICE = "device-a";

    private final RawKeyPair device = KeyAgreement.generate();
    private final Random random = new Random(42);

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void oneWrapperWrapsManyKeysUnderOneEphemeralKeyAndTheOpenerOpensThem() {
        ContentKeyWrapper wrapper = ContentKeys.wrapper(DEVICE, device.publicKey());
        ContentKeyOpener opener = ContentKeys.opener(device, DEVICE);
        for (int i = 0; i < 50; i++) {
            byte[] contentKey = bytes(ContentKeys.CONTENT_KEY_LENGTH);
            byte[] keyId = bytes(16);
            byte[] wrapped = wrapper.wrap(contentKey, keyId);
            assertEquals(ContentKeys.WRAPPED_V2_LENGTH, wrapped.length);
            assertEquals(ContentKeys.VERSION_2, wrapped[0]);
            assertArrayEquals(wrapper.ephemeralPublicKey(), Arrays.copyOfRange(wrapped, 1, 33));
            assertArrayEquals(contentKey, opener.open(wrapped, keyId));
            assertArrayEquals(contentKey, ContentKeys.unwrap(wrapped, keyId, DEVICE, device));
        }
        assertEquals(1, opener.cachedSecrets());
    }

    @Test
    void theSameKeyWrappedTwiceForTheSameLicenseGetsAnotherNonce() {
        ContentKeyWrapper wrapper = ContentKeys.wrapper(DEVICE, device.publicKey());
        byte[] contentKey = bytes(16);
        byte[] keyId = bytes(16);
        assertNotEquals(Arrays.toString(wrapper.wrap(contentKey, keyId)), Arrays.toString(wrapper.wrap(contentKey, keyId)));
    }

    @Test
    void theStaticWrapMakesVersion2AndTheStaticUnwrapStillOpensVersion1() {
        byte[] contentKey = bytes(16);
        byte[] keyId = bytes(16);
        byte[] v2 = ContentKeys.wrap(contentKey, keyId, DEVICE, device.publicKey());
        assertEquals(ContentKeys.WRAPPED_V2_LENGTH, v2.length);
        assertArrayEquals(contentKey, ContentKeys.unwrap(v2, keyId, DEVICE, device));
        byte[] v1 = KeyWrap.wrap(contentKey, device.publicKey(), ContentKeys.context(keyId, DEVICE));
        assertEquals(ContentKeys.WRAPPED_V1_LENGTH, v1.length);
        assertArrayEquals(contentKey, ContentKeys.unwrap(v1, keyId, DEVICE, device));
        assertArrayEquals(contentKey, ContentKeys.opener(device, DEVICE).open(v1, keyId));
    }

    @Test
    void aVersion1KeyWhoseFirstByteHappensToBeTwoStillOpensAsVersion1() {
        byte[] contentKey = bytes(16);
        byte[] keyId = bytes(16);
        byte[] v1;
        do {
            v1 = KeyWrap.wrap(contentKey, device.publicKey(), ContentKeys.context(keyId, DEVICE));
        } while (v1[0] != ContentKeys.VERSION_2);
        assertArrayEquals(contentKey, ContentKeys.opener(device, DEVICE).open(v1, keyId));
    }

    @Test
    void refusesTheWrongDeviceKey() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        assertThrows(CryptoException.class, () -> ContentKeys.opener(KeyAgreement.generate(), DEVICE).open(wrapped, keyId));
    }

    @Test
    void refusesTheWrongKeyId() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        byte[] otherKeyId = keyId.clone();
        otherKeyId[15] ^= 1;
        assertThrows(CryptoException.class, () -> ContentKeys.opener(device, DEVICE).open(wrapped, otherKeyId));
    }

    @Test
    void refusesTheWrongDeviceId() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        assertThrows(CryptoException.class, () -> ContentKeys.opener(device, "device-b").open(wrapped, keyId));
    }

    @Test
    void refusesEverySingleBitFlip() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        ContentKeyOpener opener = ContentKeys.opener(device, DEVICE);
        for (int position = 0; position < wrapped.length; position++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = wrapped.clone();
                damaged[position] ^= (byte) (1 << bit);
                assertThrows(CryptoException.class, () -> opener.open(damaged, keyId), "byte " + position + " bit " + bit);
            }
        }
    }

    @Test
    void refusesEveryTruncationAndExtension() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        ContentKeyOpener opener = ContentKeys.opener(device, DEVICE);
        for (int length = 0; length <= wrapped.length + 1; length++) {
            if (length != wrapped.length) {
                byte[] cut = Arrays.copyOf(wrapped, length);
                assertThrows(CryptoException.class, () -> opener.open(cut, keyId), "length " + length);
            }
        }
        assertThrows(CryptoException.class, () -> opener.open(null, keyId));
    }

    @Test
    void refusesAnUnknownVersionByte() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        for (int version : new int[] {0, 1, 3, 0xff}) {
            byte[] unknown = wrapped.clone();
            unknown[0] = (byte) version;
            CryptoException refused = assertThrows(CryptoException.class, () -> ContentKeys.opener(device, DEVICE).open(unknown, keyId));
            assertTrue(refused.getMessage().contains("version"), refused.getMessage());
        }
    }

    @Test
    void refusesALowOrderEphemeralKeyAndDoesNotRememberIt() {
        byte[] keyId = bytes(16);
        byte[] wrapped = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(bytes(16), keyId);
        Arrays.fill(wrapped, 1, 33, (byte) 0);
        ContentKeyOpener opener = ContentKeys.opener(device, DEVICE);
        assertThrows(CryptoException.class, () -> opener.open(wrapped, keyId));
        assertEquals(0, opener.cachedSecrets());
    }

    @Test
    void aWrapperRefusesAnUnusableDeviceKeyOrContentKey() {
        assertThrows(CryptoException.class, () -> ContentKeys.wrapper(DEVICE, new byte[32]));
        assertThrows(CryptoException.class, () -> ContentKeys.wrapper(DEVICE, new byte[31]));
        ContentKeyWrapper wrapper = ContentKeys.wrapper(DEVICE, device.publicKey());
        assertThrows(CryptoException.class, () -> wrapper.wrap(new byte[15], bytes(16)));
    }

    @Test
    void theCacheOfSharedSecretsStaysWithinItsBound() {
        ContentKeyOpener opener = ContentKeys.opener(device, DEVICE);
        byte[] keyId = bytes(16);
        byte[] contentKey = bytes(16);
        byte[] first = ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(contentKey, keyId);
        opener.open(first, keyId);
        for (int i = 0; i < ContentKeyOpener.CACHED_EPHEMERAL_KEYS + 10; i++) {
            assertArrayEquals(contentKey, opener.open(ContentKeys.wrapper(DEVICE, device.publicKey()).wrap(contentKey, keyId), keyId));
        }
        assertEquals(ContentKeyOpener.CACHED_EPHEMERAL_KEYS, opener.cachedSecrets());
        // evicted, so computed again, and still right
        assertArrayEquals(contentKey, opener.open(first, keyId));
    }

    @Test
    void severalThreadsOpenThroughOneOpenerAtOnce() throws Exception {
        List<ContentKeyWrapper> sessions = List.of(ContentKeys.wrapper(DEVICE, device.publicKey()),
                ContentKeys.wrapper(DEVICE, device.publicKey()), ContentKeys.wrapper(DEVICE, device.publicKey()));
        List<byte[][]> licenses = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            byte[] keyId = bytes(16);
            byte[] contentKey = bytes(16);
            byte[] wrapped = i % 5 == 0
                    ? KeyWrap.wrap(contentKey, device.publicKey(), ContentKeys.context(keyId, DEVICE))
                    : sessions.get(i % 3).wrap(contentKey, keyId);
            licenses.add(new byte[][] {keyId, contentKey, wrapped});
        }
        ContentKeyOpener opener = ContentKeys.opener(device, DEVICE);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < licenses.size(); i++) {
                        byte[][] license = licenses.get((i + offset * 150) % licenses.size());
                        assertArrayEquals(license[1], opener.open(license[2], license[0]));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(3, opener.cachedSecrets());
    }
}
