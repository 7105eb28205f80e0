package org.licensebackup.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of {@link BackupReader}: whatever a file holds, reading it (as the device
 * that made it, and through the service it was made for, as far as the file allows each) ends normally
 * or with a documented failure, a {@link BackupFormatException} of kind {@code CORRUPT} or
 * {@code UNSUPPORTED}, an I/O error of the file system, or the unwrapper's own refusal. Anything
 * else (a runtime exception, an error, an allocation too large for the heap) is a finding.
 *
 * <p>{@code mvn test} replays the committed inputs in
 * {@code src/test/resources/org/licensebackup/format/BackupReaderFuzzTestInputs/<method>/} and
 * every input it once reported; to fuzz one method (Jazzer fuzzes one per run), from the
 * repository root:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl bundles/org.licensebackup.format test -Dtest='BackupReaderFuzzTest#readsAnyFile'
 * JAZZER_FUZZ=1 mvn -B -pl bundles/org.licensebackup.format test -Dtest='BackupReaderFuzzTest#readsAnyRecordStream'
 * </pre>
 *
 * and every {@code mvn verify} fuzzes both, each for its {@code maxDuration} in a 256 MiB heap, after
 * the unit tests (the module pom's fuzz executions). A finding fails the run and lands in that inputs
 * folder, where it stays as a regression test once fixed. The fuzzer's own corpus goes to
 * {@code .cifuzz-corpus/} in the module, which is not committed.
 */
class BackupReaderFuzzTest {

    private static final GoldenFiles GOLDEN = new GoldenFiles(GoldenFiles.V2);
    private static final RawKeyPair SERVICE_KEYS = GOLDEN.serviceKeys();
    private static final RawKeyPair DEVICE_AGREEMENT_KEYS = KeyAgreement.fromPrivateKey(GOLDEN.hex("device.x25519.private"));
    /** Seals any record stream under a genuine header, so the fuzzer reaches the record parser behind the MACs. */
    private static final KeyHolder KEY_HOLDER = new KeyHolder(SERVICE_KEYS, goldenDeviceKeys());
    private static final byte[] GENUINE_EMPTY_BACKUP = genuineEmptyBackup();
    /** One file, rewritten for every input: the fuzzer runs one input at a time. */
    private static final Path INPUT_FILE = inputFile();

    /** What the unwrapper throws when the file key does not open: the reader must pass it through unchanged. */
    static final class FileKeyRefused extends RuntimeException {

        private static final long serialVersionUID = 1L;

        FileKeyRefused(CryptoException cause) {
            super(cause);
        }
    }

    private static final FileKeyUnwrapper UNWRAPPER = (wrapped, context) -> {
        try {
            return FileKeyWrap.unwrap(wrapped, SERVICE_KEYS, context);
        } catch (CryptoException refused) {
            throw new FileKeyRefused(refused);
        }
    };

    private static final FileKeyUnwrapper DEVICE_UNWRAPPER = (wrapped, context) -> {
        try {
            return FileKeyWrap.unwrap(wrapped, DEVICE_AGREEMENT_KEYS, context);
        } catch (CryptoException refused) {
            throw new FileKeyRefused(refused);
        }
    };

    /** Any bytes as a backup file; the committed seeds are genuine backups of both versions, whole and cut. */
    @FuzzTest(maxDuration = "20s")
    void readsAnyFile(byte[] file) throws IOException {
        readToTheEnd(file);
    }

    /**
     * Any record stream, sealed by someone who holds both private keys into a file that every
     * cryptographic check accepts, so that only the reader's structural checks stand in its way.
     * The input is {@code recordCount (uint16) | last-chunk flag (byte, odd for set) | record stream}.
     */
    @FuzzTest(maxDuration = "20s")
    void readsAnyRecordStream(byte[] input) throws IOException {
        if (input.length < 3) {
            return;
        }
        ByteBuffer fields = ByteBuffer.wrap(input);
        int recordCount = Short.toUnsignedInt(fields.getShort(0));
        boolean markLastChunk = (input[2] & 1) != 0;
        byte[] records = Arrays.copyOfRange(input, 3, input.length);
        readToTheEnd(KEY_HOLDER.seal(GENUINE_EMPTY_BACKUP, records, recordCount, markLastChunk));
    }

    /** Reads as the device when the file allows it, then through the service when it allows that. */
    private static void readToTheEnd(byte[] file) throws IOException {
        Files.write(INPUT_FILE, file);
        readToTheEnd(true);
        readToTheEnd(false);
    }

    private static void readToTheEnd(boolean asDevice) throws IOException {
        try (BackupReader reader = BackupReader.open(INPUT_FILE)) {
            BackupHeader header = reader.header();
            if (asDevice ? header.deviceAgreementKey().isEmpty() : header.service().isEmpty()) {
                return;
            }
            if (asDevice) {
                reader.openAsDevice(DEVICE_UNWRAPPER);
            } else {
                reader.openThroughService(UNWRAPPER);
            }
            long records = 0;
            for (Optional<BackupRecord> record = reader.next(); record.isPresent(); record = reader.next()) {
                records++;
            }
            if (records != reader.recordCount()) {
                throw new AssertionError("read " + records + " records of a backup that declares " + reader.recordCount());
            }
        } catch (BackupFormatException refused) {
            if (refused.kind() == BackupFormatException.Kind.EXISTS) {
                throw new AssertionError("a reader reported a writer's failure", refused);
            }
        } catch (FileKeyRefused passedThrough) {
            // the unwrapper's own refusal, which the reader passes through as documented
        } catch (IOException fileSystem) {
            // the file system's failures are documented outcomes; the reader's own are BackupFormatExceptions
            if (fileSystem.getCause() instanceof GeneralSecurityException) {
                throw new AssertionError("the reader failed inside its own cryptography", fileSystem);
            }
        }
    }

    private static RawKeyPair goldenDeviceKeys() {
        RawKeyPair device = Signatures.fromPrivateKey(GoldenBackupGenerator.testOnlyPrivateKey("device Ed25519"));
        if (!Arrays.equals(device.publicKey(), GOLDEN.hex("device.ed25519.public"))) {
            throw new IllegalStateException("the golden device key is no longer derived as GoldenBackupGenerator derived it");
        }
        return device;
    }

    private static byte[] genuineEmptyBackup() {
        try {
            return Files.readAllBytes(GoldenFiles.path(GoldenFiles.V2, GoldenBackupGenerator.EMPTY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path inputFile() {
        try {
            Path file = Files.createTempFile("backup-reader-fuzz", ".lbk");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
