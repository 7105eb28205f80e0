package org.licensebackup.policy.internal;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.licensebackup.crypto.Signatures;
import org.licensebackup.license.License;

/**
 * Checks issuers' signatures on all cores of a pool of its own: Ed25519 verification (about 10,000
 * a second a core) is what a restore spends most of its time on, and a pool of its own keeps that
 * work off the common pool, which the host may need meanwhile.
 */
final class SignatureChecker implements AutoCloseable {

    private final ForkJoinPool pool;

    SignatureChecker(int threads) {
        this.pool = new ForkJoinPool(threads);
    }

    /** For each license, whether its signature verifies and its signer is trusted. */
    boolean[] check(List<License> licenses, Predicate<byte[]> trustedSigner) {
        boolean[] genuine = new boolean[licenses.size()];
        try {
            pool.submit(() -> IntStream.range(0, genuine.length).parallel().forEach(i -> {
                License license = licenses.get(i);
                byte[] signer = license.signerKey();
                genuine[i] = trustedSigner.test(signer)
                        && Signatures.verify(signer, license.signedBytes(), license.signature());
            })).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking signatures", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("signature check failed", e.getCause());
        }
        return genuine;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
