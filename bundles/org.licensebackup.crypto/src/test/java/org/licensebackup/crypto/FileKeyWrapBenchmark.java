package org.licensebackup.crypto;

import java.util.Locale;

/**
 * What an HPKE file-key wrap and unwrap cost next to one X25519 agreement, on one thread: a rough
 * check, run by hand after {@code mvn test-compile}, from the module's folder:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/org/bouncycastle/bcprov-jdk18on/1.80/bcprov-jdk18on-1.80.jar \
 *     org.licensebackup.crypto.FileKeyWrapBenchmark
 * </pre>
 */
public final class FileKeyWrapBenchmark {

    private static final int ROUNDS = 3000;

    private FileKeyWrapBenchmark() {
    }

    public static void main(String[] arguments) {
        RawKeyPair recipient = KeyAgreement.generate();
        byte[] context = new byte[560];
        byte[] fileKey = new byte[FileKeyWrap.FILE_KEY_LENGTH];
        byte[] wrapped = FileKeyWrap.wrap(fileKey, recipient.publicKey(), context);
        for (int round = 0; round < 3; round++) {
            long agree = time(() -> KeyAgreement.agree(recipient, recipient.publicKey()));
            long keyWrap = time(() -> KeyWrap.wrap(fileKey, recipient.publicKey(), context));
            long hpkeWrap = time(() -> FileKeyWrap.wrap(fileKey, recipient.publicKey(), context));
            long hpkeUnwrap = time(() -> FileKeyWrap.unwrap(wrapped, recipient, context));
            System.out.printf(Locale.ROOT, "round %d, %d each: X25519 %.1f µs, KeyWrap.wrap %.1f µs, HPKE wrap %.1f µs (%.2f X25519), "
                    + "HPKE unwrap %.1f µs (%.2f X25519)%n", round, ROUNDS, agree / 1e3, keyWrap / 1e3, hpkeWrap / 1e3,
                    (double) hpkeWrap / agree, hpkeUnwrap / 1e3, (double) hpkeUnwrap / agree);
        }
    }

    /** Nanoseconds per call. */
    private static long time(Runnable operation) {
        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            operation.run();
        }
        return (System.nanoTime() - start) / ROUNDS;
    }
}
