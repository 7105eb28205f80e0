package org.licensebackup.format;

import static org.licensebackup.format.FormatV1.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;

import org.licensebackup.crypto.Aead;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;

/**
 * Reads a backup one record at a time, in memory that does not grow with the number of records.
 * Every chunk is authenticated before its records are handed out, but the file as a whole (its
 * last chunk, record count, manifest and the device's signature) only when {@link #next()} returns
 * empty: act on records irreversibly only after that. Used by one thread.
 */
public final class BackupReader implements AutoCloseable {

    private final FileChannel channel;
    private final byte[] header;
    private final BackupHeader backupHeader;
    private final long payloadLength;
    private final long chunkCount;
    private final ChunkCipher cipher;
    private final Mac manifestMac;
    private final MessageDigest bodyDigest = sha256();
    private final byte[] ciphertext = new byte[CHUNK_CIPHERTEXT_SIZE];
    private final byte[] plaintext = new byte[CHUNK_SIZE];
    private final byte[] lengthField = new byte[RECORD_LENGTH_FIELD];
    private int plaintextPosition;
    private int plaintextLimit;
    private long chunksOpened;
    private long payloadConsumed;
    private long recordsRead;
    private long bytesRead;
    private boolean finished;
    private IOException failure;

    private BackupReader(FileChannel channel, FileKeyUnwrapper unwrapper) throws IOException {
        this.channel = channel;
        this.header = new byte[HEADER_LENGTH];
        ByteBuffer fields = ByteBuffer.wrap(header);

        readFully(header, 0, AEAD_ID_OFFSET, "the header");
        if (!Arrays.equals(header, MAGIC_OFFSET, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw BackupFormatException.corrupt("not a backup file: the magic number is missing");
        }
        int version = Short.toUnsignedInt(fields.getShort(VERSION_OFFSET));
        if (version != VERSION) {
            throw unsupported("format version " + version);
        }
        int headerLength = Short.toUnsignedInt(fields.getShort(HEADER_LENGTH_OFFSET));
        if (headerLength != HEADER_LENGTH) {
            throw BackupFormatException.corrupt("a version " + VERSION + " header has " + HEADER_LENGTH + " bytes, not " + headerLength);
        }
        readFully(header, AEAD_ID_OFFSET, HEADER_LENGTH - AEAD_ID_OFFSET, "the header");
        requireAlgorithm(AEAD_ID_OFFSET, AEAD_AES_256_GCM_STREAM, "payload encryption");
        requireAlgorithm(KEY_WRAP_ID_OFFSET, KEY_WRAP_X25519_HKDF_AES_256_GCM, "file key wrapping");
        requireAlgorithm(SIGNATURE_ID_OFFSET, SIGNATURE_ED25519, "signature");
        requireAlgorithm(KDF_ID_OFFSET, KDF_HKDF_HMAC_SHA256, "key derivation and MAC");

        Instant createdAt = createdAt(fields);
        String deviceId = deviceId();
        byte[] deviceSigningKey = Arrays.copyOfRange(header, DEVICE_KEY_OFFSET, DEVICE_KEY_OFFSET + Signatures.PUBLIC_KEY_LENGTH);
        byte[] recipientKey = Arrays.copyOfRange(header, RECIPIENT_KEY_OFFSET, RECIPIENT_KEY_OFFSET + KeyAgreement.KEY_LENGTH);
        byte[] deviceKeyEscrow = Arrays.copyOfRange(header, DEVICE_KEY_ESCROW_OFFSET, DEVICE_KEY_ESCROW_OFFSET + DEVICE_KEY_ESCROW_LENGTH);
        // checked before the file key goes to the unwrapper, so that damage shows as damage, not as a refused key
        byte[] headerSignature = Arrays.copyOfRange(header, HEADER_SIGNATURE_OFFSET, HEADER_SIGNATURE_OFFSET + Signatures.SIGNATURE_LENGTH);
        if (!Signatures.verify(deviceSigningKey, concat(HEADER_SIGNATURE_LABEL, header, FIXED_PART_END), headerSignature)) {
            throw BackupFormatException.corrupt("the header's signature does not verify: altered or damaged");
        }

        FileKeys keys = fileKeys(unwrapper);
        try {
            Mac headerMac = hmac(keys.headerMacKey());
            headerMac.update(header, 0, HEADER_MAC_OFFSET);
            if (!MessageDigest.isEqual(headerMac.doFinal(), Arrays.copyOfRange(header, HEADER_MAC_OFFSET, HEADER_LENGTH))) {
                throw BackupFormatException.corrupt("the header does not authenticate: altered, or the wrong file key");
            }
            long recordCount = fields.getLong(RECORD_COUNT_OFFSET);
            payloadLength = fields.getLong(PAYLOAD_LENGTH_OFFSET);
            requireConsistent(recordCount, payloadLength);
            long expectedLength = fileLength(payloadLength);
            long actualLength = channel.size();
            if (actualLength != expectedLength) {
                throw BackupFormatException.corrupt("the file has " + actualLength + " bytes, its header says " + expectedLength
                        + ": truncated or extended");
            }
            chunkCount = chunkCount(payloadLength);
            cipher = new ChunkCipher(keys.payloadKey());
            manifestMac = hmac(keys.manifestMacKey());
            backupHeader = new BackupHeader(version, deviceId, deviceSigningKey, recipientKey, createdAt, recordCount,
                    deviceKeyEscrow);
        } finally {
            keys.wipe();
        }
    }

    /**
     * Opens a backup and authenticates its header.
     *
     * @param unwrapper unwraps the file key; whatever it throws is passed through unchanged
     * @throws BackupFormatException of kind {@code UNSUPPORTED} for an unknown format version or
     *     algorithm, {@code CORRUPT} for a damaged, truncated, altered or forged file or a wrong file key
     */
    public static BackupReader open(Path file, FileKeyUnwrapper unwrapper) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(unwrapper, "unwrapper");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new BackupReader(channel, unwrapper);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The authenticated header. */
    public BackupHeader header() {
        return backupHeader;
    }

    /**
     * The next record, or empty at the end, which is reported only once the whole file checked out:
     * last chunk, record count, manifest and the device's signature. After the end, empty again.
     *
     * @throws BackupFormatException of kind {@code CORRUPT} for any damage; the reader then stays failed
     */
    public Optional<BackupRecord> next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (finished) {
            return Optional.empty();
        }
        try {
            if (recordsRead == backupHeader.recordCount()) {
                finish();
                return Optional.empty();
            }
            return Optional.of(readRecord());
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** How many bytes of the file were read so far. */
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written, nothing is lost
        }
    }

    private BackupRecord readRecord() throws IOException {
        long remaining = payloadLength - payloadConsumed;
        if (remaining < RECORD_OVERHEAD) {
            throw BackupFormatException.corrupt("record " + recordsRead + " runs past the end of the records");
        }
        readPlaintext(lengthField, RECORD_LENGTH_FIELD);
        int licenseLength = ByteBuffer.wrap(lengthField).getInt(0);
        if (licenseLength < 0 || licenseLength > BackupRecord.MAX_LICENSE_LENGTH) {
            throw BackupFormatException.corrupt("record " + recordsRead + " declares a license of "
                    + Integer.toUnsignedString(licenseLength) + " bytes, over the limit of " + BackupRecord.MAX_LICENSE_LENGTH);
        }
        if (licenseLength > remaining - RECORD_OVERHEAD) {
            throw BackupFormatException.corrupt("record " + recordsRead + " runs past the end of the records");
        }
        byte[] license = new byte[licenseLength];
        readPlaintext(license, licenseLength);
        recordsRead++;
        return new BackupRecord(license);
    }

    private void readPlaintext(byte[] destination, int length) throws IOException {
        int offset = 0;
        while (offset < length) {
            if (plaintextPosition == plaintextLimit) {
                openNextChunk();
            }
            int count = Math.min(length - offset, plaintextLimit - plaintextPosition);
            System.arraycopy(plaintext, plaintextPosition, destination, offset, count);
            plaintextPosition += count;
            offset += count;
        }
        payloadConsumed += length;
    }

    private void openNextChunk() throws IOException {
        if (chunksOpened == chunkCount) {
            throw BackupFormatException.corrupt("the records run past the last chunk");
        }
        int ciphertextLength = chunkPlaintextLength(chunksOpened, payloadLength) + Aead.TAG_LENGTH;
        readFully(ciphertext, 0, ciphertextLength, "chunk " + chunksOpened);
        digest(bodyDigest, ciphertext, ciphertextLength);
        plaintextLimit = cipher.open(chunksOpened, chunksOpened == chunkCount - 1, ciphertext, ciphertextLength, plaintext);
        plaintextPosition = 0;
        manifestMac.update(ciphertext, ciphertextLength - Aead.TAG_LENGTH, Aead.TAG_LENGTH);
        chunksOpened++;
    }

    private void finish() throws IOException {
        if (payloadConsumed != payloadLength) {
            throw BackupFormatException.corrupt((payloadLength - payloadConsumed) + " bytes follow the last record");
        }
        // an empty backup still has its one empty last chunk, which no record made the reader open
        while (chunksOpened < chunkCount) {
            openNextChunk();
        }
        if (!MessageDigest.isEqual(manifestMac.doFinal(), Arrays.copyOfRange(header, MANIFEST_MAC_OFFSET, MANIFEST_MAC_OFFSET + MAC_LENGTH))) {
            throw BackupFormatException.corrupt("the records do not match the header's manifest");
        }
        byte[] signature = new byte[TRAILER_LENGTH];
        readFully(signature, 0, TRAILER_LENGTH, "the signature");
        if (channel.read(ByteBuffer.allocate(1)) != -1) {
            throw BackupFormatException.corrupt("bytes follow the signature");
        }
        if (!Signatures.verify(backupHeader.deviceSigningKey(), fileSignatureMessage(header, bodyDigest.digest()), signature)) {
            throw BackupFormatException.corrupt("the device's signature over the file does not verify");
        }
        finished = true;
    }

    private FileKeys fileKeys(FileKeyUnwrapper unwrapper) throws BackupFormatException {
        byte[] wrappedFileKey = Arrays.copyOfRange(header, WRAPPED_FILE_KEY_OFFSET, WRAPPED_FILE_KEY_OFFSET + WRAPPED_FILE_KEY_LENGTH);
        byte[] fileKey = unwrapper.unwrap(wrappedFileKey, concat(FILE_KEY_WRAP_LABEL, header, WRAP_CONTEXT_END));
        if (fileKey == null || fileKey.length != FILE_KEY_LENGTH) {
            throw BackupFormatException.corrupt("the unwrapped file key is not " + FILE_KEY_LENGTH + " bytes");
        }
        byte[] salt = Arrays.copyOfRange(header, SALT_OFFSET, SALT_OFFSET + SALT_LENGTH);
        FileKeys keys = FileKeys.derive(fileKey, salt);
        Arrays.fill(fileKey, (byte) 0);
        return keys;
    }

    private Instant createdAt(ByteBuffer fields) throws BackupFormatException {
        long seconds = fields.getLong(CREATED_SECONDS_OFFSET);
        long nanos = Integer.toUnsignedLong(fields.getInt(CREATED_NANOS_OFFSET));
        if (nanos > 999_999_999L || seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            throw BackupFormatException.corrupt("the creation time is out of range");
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private String deviceId() throws BackupFormatException {
        int length = Byte.toUnsignedInt(header[DEVICE_ID_LENGTH_OFFSET]);
        if (length == 0) {
            throw BackupFormatException.corrupt("the device ID is empty");
        }
        for (int i = DEVICE_ID_OFFSET + length; i < DEVICE_ID_END; i++) {
            if (header[i] != 0) {
                throw BackupFormatException.corrupt("the device ID's padding is not zero");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header, DEVICE_ID_OFFSET, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BackupFormatException(BackupFormatException.Kind.CORRUPT, "the device ID is not UTF-8", e);
        }
    }

    private void requireAlgorithm(int offset, int known, String purpose) throws BackupFormatException {
        int id = Byte.toUnsignedInt(header[offset]);
        if (id != known) {
            throw unsupported(purpose + " algorithm " + id);
        }
    }

    private static void requireConsistent(long recordCount, long payloadLength) throws BackupFormatException {
        if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
            throw BackupFormatException.corrupt("the records' length " + payloadLength + " is over the limit of " + MAX_PAYLOAD_LENGTH);
        }
        // each record takes RECORD_OVERHEAD to MAX_RECORD_LENGTH bytes
        if (recordCount < 0 || recordCount > payloadLength / RECORD_OVERHEAD
                || (payloadLength + MAX_RECORD_LENGTH - 1) / MAX_RECORD_LENGTH > recordCount) {
            throw BackupFormatException.corrupt(recordCount + " records cannot take " + payloadLength + " bytes");
        }
    }

    private void readFully(byte[] destination, int offset, int length, String what) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(destination, offset, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw BackupFormatException.corrupt("the file ends inside " + what + ": truncated");
            }
        }
        bytesRead += length;
    }

    private static BackupFormatException unsupported(String what) {
        return new BackupFormatException(BackupFormatException.Kind.UNSUPPORTED, "unsupported " + what + "; this reader knows version "
                + VERSION + " with algorithm 1 for each purpose");
    }
}
