package org.licensebackup.format;

import static org.licensebackup.format.Format.*;

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
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Mac;

import org.licensebackup.crypto.Aead;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;

/**
 * Reads a backup in two steps, in memory that does not grow with the number of records.
 *
 * <ol>
 * <li>{@link #open(Path)} reads the header and checks the device's signature over it, so that
 *     {@link #header()} (the device, the service the backup was made for, the version) can be
 *     trusted as far as that device is, before any key is asked for. The caller then decides how
 *     to open the file key.
 * <li>{@link #openAsDevice} (version 2: the device that made the backup, without any service) or
 *     {@link #openThroughService} (the license management service the backup was made for) opens
 *     the file key through a {@link FileKeyUnwrapper}, checks the header's MAC with it and makes
 *     the records readable. When the unwrapper throws, its exception passes through unchanged and
 *     the reader stays as it was, so the other way may be tried; any other failure leaves the
 *     reader failed.
 * </ol>
 *
 * Then {@link #next()} hands out the records. Every chunk is authenticated before its records are
 * handed out, but the file as a whole (its last chunk, record count, manifest and the device's
 * signature) only when {@link #next()} returns empty: act on records irreversibly only after that.
 * Reads format versions 1 and 2. Used by one thread.
 */
public final class BackupReader implements AutoCloseable {

    private final FileChannel channel;
    private final HeaderLayout layout;
    private final byte[] header;
    private final BackupHeader backupHeader;
    private long recordCount = -1;
    private long payloadLength;
    private long chunkCount;
    private ChunkCipher cipher;
    private Mac manifestMac;
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

    private BackupReader(FileChannel channel) throws IOException {
        this.channel = channel;
        byte[] leading = new byte[AEAD_ID_OFFSET];
        readFully(leading, 0, AEAD_ID_OFFSET, "the header");
        if (!Arrays.equals(leading, MAGIC_OFFSET, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw BackupFormatException.corrupt("not a backup file: the magic number is missing");
        }
        ByteBuffer leadingFields = ByteBuffer.wrap(leading);
        int version = Short.toUnsignedInt(leadingFields.getShort(VERSION_OFFSET));
        layout = HeaderLayout.of(version);
        if (layout == null) {
            throw unsupported("format version " + version);
        }
        int headerLength = Short.toUnsignedInt(leadingFields.getShort(HEADER_LENGTH_OFFSET));
        if (headerLength != layout.headerLength) {
            throw BackupFormatException.corrupt("a version " + version + " header has " + layout.headerLength + " bytes, not " + headerLength);
        }
        header = Arrays.copyOf(leading, layout.headerLength);
        readFully(header, AEAD_ID_OFFSET, layout.headerLength - AEAD_ID_OFFSET, "the header");
        requireAlgorithm(AEAD_ID_OFFSET, AEAD_AES_256_GCM_STREAM, "payload encryption");
        requireAlgorithm(KEY_WRAP_ID_OFFSET, layout.keyWrapAlgorithm, "file key wrapping");
        requireAlgorithm(SIGNATURE_ID_OFFSET, SIGNATURE_ED25519, "signature");
        requireAlgorithm(KDF_ID_OFFSET, KDF_HKDF_HMAC_SHA256, "key derivation and MAC");

        Instant createdAt = createdAt(ByteBuffer.wrap(header));
        String deviceId = deviceId();
        byte[] deviceSigningKey = field(DEVICE_KEY_OFFSET, Signatures.PUBLIC_KEY_LENGTH);
        byte[] deviceAgreementKey = layout.wrapsForDevice() ? field(AGREEMENT_KEY_OFFSET, KeyAgreement.KEY_LENGTH) : null;
        ServiceRecipient service = service();
        // checked before the file key goes to an unwrapper, so that damage shows as damage, not as a refused key
        byte[] headerSignature = field(layout.headerSignatureOffset, Signatures.SIGNATURE_LENGTH);
        if (!Signatures.verify(deviceSigningKey, layout.headerSignatureMessage(header), headerSignature)) {
            throw BackupFormatException.corrupt("the header's signature does not verify: altered or damaged");
        }
        backupHeader = new BackupHeader(version, deviceId, deviceSigningKey, deviceAgreementKey, service, createdAt);
        if (deviceAgreementKey != null) {
            requireIdOfItsKeys(backupHeader);
        }
    }

    /**
     * Version 2 names both of the device's public keys, and a device's ID is the one its keys make
     * (docs/backup-format.md, 10.7): a signed header that claims another ID was made to pass for
     * another device, not damaged.
     */
    private static void requireIdOfItsKeys(BackupHeader header) throws BackupFormatException {
        byte[] signingKey = header.deviceSigningKey();
        String idOfItsKeys = DeviceIds.of(signingKey, header.deviceAgreementKey().orElseThrow());
        if (!idOfItsKeys.equals(header.deviceId())) {
            throw BackupFormatException.forged("the backup claims to be device " + header.deviceId() + "'s, but is not signed by it: its"
                    + " signing key " + Base64.getEncoder().encodeToString(signingKey) + " and agreement key make device " + idOfItsKeys,
                    header);
        }
    }

    /**
     * Opens a backup, reads its header and checks the device's signature over it; the records stay
     * closed until {@link #openAsDevice} or {@link #openThroughService}.
     *
     * @throws BackupFormatException of kind {@code UNSUPPORTED} for an unknown format version or
     *     algorithm, {@code CORRUPT} for a damaged, truncated or altered header or one whose
     *     signature does not verify, {@code FORGED} for a signed version 2 header whose device ID is
     *     not the one its keys make
     */
    public static BackupReader open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new BackupReader(channel);
        } catch (IOException | RuntimeException | Error e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens a backup through the license management service it was made for, as version 1 readers
     * did: {@link #open(Path)} then {@link #openThroughService}.
     *
     * @param unwrapper the service's unwrapper; whatever it throws is passed through unchanged
     * @throws BackupFormatException as {@link #open(Path)} and {@link #openThroughService} do
     */
    public static BackupReader open(Path file, FileKeyUnwrapper unwrapper) throws IOException {
        Objects.requireNonNull(unwrapper, "unwrapper");
        BackupReader reader = open(file);
        try {
            reader.openThroughService(unwrapper);
            return reader;
        } catch (IOException | RuntimeException | Error e) {
            reader.close();
            throw e;
        }
    }

    /** The header, whose device signature has been checked; available as soon as the reader is open. */
    public BackupHeader header() {
        return backupHeader;
    }

    /**
     * Opens the file key as the device that made the backup: {@code unwrapper} receives the file key
     * that device wrapped for its own agreement key ({@link BackupHeader#deviceAgreementKey()}) and
     * its context, typically {@code DeviceIdentity::unwrapFileKey}. No service takes part.
     *
     * @throws BackupFormatException of kind {@code UNSUPPORTED} for a version 1 backup, which has no
     *     such key; {@code CORRUPT} when the unwrapped key does not authenticate the header, or for
     *     a truncated or extended file
     * @throws IllegalStateException when the file key was already opened, or the reader failed
     */
    public void openAsDevice(FileKeyUnwrapper unwrapper) throws IOException {
        Objects.requireNonNull(unwrapper, "unwrapper");
        requireHeaderOnly();
        if (!layout.wrapsForDevice()) {
            throw new BackupFormatException(BackupFormatException.Kind.UNSUPPORTED, "a version " + layout.version
                    + " backup has its file key wrapped only for its license management service");
        }
        unlock(unwrapper, layout.deviceWrapOffset, layout.deviceWrapContext(header));
    }

    /**
     * Opens the file key through the license management service the backup was made for
     * ({@link BackupHeader#service()}): {@code unwrapper} receives the file key wrapped for that
     * service and its context, typically the service's restore session.
     *
     * @throws BackupFormatException of kind {@code UNSUPPORTED} for a backup made without a service,
     *     which only the device that made it can open; {@code CORRUPT} as {@link #openAsDevice}
     * @throws IllegalStateException when the file key was already opened, or the reader failed
     */
    public void openThroughService(FileKeyUnwrapper unwrapper) throws IOException {
        Objects.requireNonNull(unwrapper, "unwrapper");
        requireHeaderOnly();
        if (backupHeader.service().isEmpty()) {
            throw new BackupFormatException(BackupFormatException.Kind.UNSUPPORTED, "the backup was made without a license "
                    + "management service: only the device " + backupHeader.deviceId() + " can open it");
        }
        unlock(unwrapper, layout.serviceWrapOffset, layout.serviceWrapContext(header));
    }

    /**
     * How many records the backup holds, authenticated with the file key.
     *
     * @throws IllegalStateException before the file key was opened
     */
    public long recordCount() {
        requireOpened();
        return recordCount;
    }

    /**
     * The next record, or empty at the end, which is reported only once the whole file checked out:
     * last chunk, record count, manifest and the device's signature. After the end, empty again.
     *
     * @throws BackupFormatException of kind {@code CORRUPT} for any damage; the reader then stays failed
     * @throws IllegalStateException before the file key was opened
     */
    public Optional<BackupRecord> next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        requireOpened();
        if (finished) {
            return Optional.empty();
        }
        try {
            if (recordsRead == recordCount) {
                finish();
                return Optional.empty();
            }
            return Optional.of(readRecord());
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private void unlock(FileKeyUnwrapper unwrapper, int wrapOffset, byte[] context) throws IOException {
        byte[] fileKey = unwrapper.unwrap(field(wrapOffset, layout.wrappedFileKeyLength), context);
        try {
            if (fileKey == null || fileKey.length != FILE_KEY_LENGTH) {
                throw BackupFormatException.corrupt("the unwrapped file key is not " + FILE_KEY_LENGTH + " bytes");
            }
            FileKeys keys = FileKeys.derive(layout, fileKey, field(SALT_OFFSET, SALT_LENGTH));
            try {
                authenticate(keys);
            } finally {
                keys.wipe();
            }
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException("opening the backup failed", e);
            throw e;
        } finally {
            if (fileKey != null) {
                Arrays.fill(fileKey, (byte) 0);
            }
        }
    }

    private void authenticate(FileKeys keys) throws IOException {
        Mac headerMac = hmac(keys.headerMacKey());
        headerMac.update(header, 0, layout.headerMacOffset);
        if (!MessageDigest.isEqual(headerMac.doFinal(), field(layout.headerMacOffset, MAC_LENGTH))) {
            throw BackupFormatException.corrupt("the header does not authenticate: altered, or the wrong file key");
        }
        ByteBuffer fields = ByteBuffer.wrap(header);
        long declaredRecords = fields.getLong(layout.recordCountOffset);
        long declaredPayload = fields.getLong(layout.payloadLengthOffset);
        requireConsistent(declaredRecords, declaredPayload);
        long expectedLength = layout.fileLength(declaredPayload);
        long actualLength = channel.size();
        if (actualLength != expectedLength) {
            throw BackupFormatException.corrupt("the file has " + actualLength + " bytes, its header says " + expectedLength
                    + ": truncated or extended");
        }
        payloadLength = declaredPayload;
        chunkCount = chunkCount(declaredPayload);
        cipher = new ChunkCipher(keys.payloadKey());
        manifestMac = hmac(keys.manifestMacKey());
        recordCount = declaredRecords;
    }

    private void requireHeaderOnly() throws IOException {
        if (failure != null) {
            throw new IllegalStateException("the reader failed: " + failure.getMessage(), failure);
        }
        if (recordCount >= 0) {
            throw new IllegalStateException("the file key is open already");
        }
    }

    private void requireOpened() {
        if (recordCount < 0) {
            throw new IllegalStateException("open the file key first: openAsDevice or openThroughService");
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
        if (!MessageDigest.isEqual(manifestMac.doFinal(), field(layout.manifestMacOffset, MAC_LENGTH))) {
            throw BackupFormatException.corrupt("the records do not match the header's manifest");
        }
        byte[] signature = new byte[TRAILER_LENGTH];
        readFully(signature, 0, TRAILER_LENGTH, "the signature");
        if (channel.read(ByteBuffer.allocate(1)) != -1) {
            throw BackupFormatException.corrupt("bytes follow the signature");
        }
        if (!Signatures.verify(backupHeader.deviceSigningKey(), layout.fileSignatureMessage(header, bodyDigest.digest()), signature)) {
            throw BackupFormatException.corrupt("the device's signature over the file does not verify");
        }
        finished = true;
    }

    private byte[] field(int offset, int length) {
        return Arrays.copyOfRange(header, offset, offset + length);
    }

    /** Version 2's service part, whose absence is a flag with every field zero; version 1 always has one, without signing key. */
    private ServiceRecipient service() throws BackupFormatException {
        byte[] recipientKey = field(layout.serviceKeyOffset, KeyAgreement.KEY_LENGTH);
        byte[] escrow = field(layout.escrowOffset, DEVICE_KEY_ESCROW_LENGTH);
        if (layout.flagsOffset < 0) {
            return ServiceRecipient.withoutSigningKey(recipientKey, escrow);
        }
        int flags = Byte.toUnsignedInt(header[layout.flagsOffset]);
        if ((flags & ~HeaderLayout.KNOWN_FLAGS) != 0 || flags == HeaderLayout.FLAG_SERVICE_SIGNING_KEY) {
            throw BackupFormatException.corrupt("the header's flags " + flags + " are not a combination version " + layout.version + " defines");
        }
        boolean hasService = (flags & HeaderLayout.FLAG_SERVICE) != 0;
        boolean hasSigningKey = (flags & HeaderLayout.FLAG_SERVICE_SIGNING_KEY) != 0;
        requireZeroUnless(hasService, layout.serviceKeyOffset, layout.escrowOffset + DEVICE_KEY_ESCROW_LENGTH, "service fields");
        requireZeroUnless(hasService, layout.serviceWrapOffset, layout.serviceWrapOffset + layout.wrappedFileKeyLength,
                "file key wrapped for the service");
        requireZeroUnless(hasSigningKey, layout.serviceSigningKeyOffset, layout.serviceSigningKeyOffset + Signatures.PUBLIC_KEY_LENGTH,
                "service signing key");
        if (!hasService) {
            return null;
        }
        return hasSigningKey
                ? ServiceRecipient.of(recipientKey, field(layout.serviceSigningKeyOffset, Signatures.PUBLIC_KEY_LENGTH), escrow)
                : ServiceRecipient.withoutSigningKey(recipientKey, escrow);
    }

    private void requireZeroUnless(boolean present, int from, int to, String what) throws BackupFormatException {
        if (present) {
            return;
        }
        for (int i = from; i < to; i++) {
            if (header[i] != 0) {
                throw BackupFormatException.corrupt("the header's flags say the " + what + " are absent, but they are not zero");
            }
        }
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
                + "1 with algorithm 1 for each purpose and version 2 with key wrap algorithm 2");
    }
}
