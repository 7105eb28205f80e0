package org.licensebackup.format;

import static org.licensebackup.format.Format.*;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.crypto.Mac;

import org.licensebackup.crypto.Aead;
import org.licensebackup.crypto.CryptoException;
import org.licensebackup.crypto.DeviceIds;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;

/**
 * Writes a backup one record at a time, in memory that does not grow with the number of records,
 * into a temporary file beside the target; {@link #commit()} completes it and renames it onto the
 * target in one step, so a crash or a {@link #close()} without commit leaves any previous backup as
 * it was. Writes format version 2: the file key wrapped for the device itself and, when it has one,
 * for its license management service. Used by one thread.
 */
public final class BackupWriter implements AutoCloseable {

    private static final HeaderLayout LAYOUT = HeaderLayout.V2;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A temporary file is named "." + the target's name + "." + 16 hex digits + this. */
    private static final String TEMPORARY_SUFFIX = ".tmp";

    /**
     * The temporary files that writers in this JVM are writing. The clean-up passes them by without
     * opening them: closing any channel to a file drops every lock this process holds on it (POSIX),
     * the live writer's included, which a writer in another process would then take for abandoned.
     */
    private static final Set<Path> BEING_WRITTEN = ConcurrentHashMap.newKeySet();

    /**
     * Every this many bytes the writer has the OS write the file out on a background thread, so the
     * disk works while the next chunks are sealed rather than all at once at commit.
     */
    private static final long WRITEBACK_INTERVAL = 32L << 20;

    private enum State { OPEN, FAILED, COMMITTED, CLOSED }

    private final Path target;
    private final Path temporary;
    private final boolean overwrite;
    private final BackupSigner signer;
    private final byte[] deviceSigningKey;
    private final FileChannel channel;
    private final byte[] header;
    private final FileKeys keys;
    private final ChunkCipher cipher;
    private final Mac manifestMac;
    private final MessageDigest bodyDigest = sha256();
    /** The chunk that records are appended to. */
    private byte[] plaintext = new byte[CHUNK_SIZE];
    /** The chunk before it, while the sealing thread seals and writes it; then the next to fill. */
    private byte[] sealing = new byte[CHUNK_SIZE];
    private final byte[] ciphertext = new byte[CHUNK_CIPHERTEXT_SIZE];
    private final byte[] lengthField = new byte[RECORD_LENGTH_FIELD];
    private int plaintextFill;
    private long chunkIndex;
    private long payloadLength;
    private long recordCount;
    /** Written by the sealing thread, read for progress by the writer's. */
    private volatile long bytesWritten;
    private long writebackRequestedAt;
    private ExecutorService writebackThread;
    private Future<?> pendingWriteback;
    /**
     * Seals, authenticates and writes each full chunk while the writer's thread fills the next, so
     * that a backup takes about as long as its store's scan rather than the scan plus AES-GCM,
     * SHA-256 and the writes, one after the other (the run: 1.78x the scan and a durable write).
     */
    private ExecutorService sealingThread;
    private Future<?> pendingSeal;
    private State state = State.OPEN;

    private BackupWriter(Path target, Path temporary, boolean overwrite, BackupSigner signer, byte[] deviceSigningKey,
            FileChannel channel, byte[] header, FileKeys keys) {
        this.target = target;
        this.temporary = temporary;
        this.overwrite = overwrite;
        this.signer = signer;
        this.deviceSigningKey = deviceSigningKey;
        this.channel = channel;
        this.header = header;
        this.keys = keys;
        this.cipher = new ChunkCipher(keys.payloadKey());
        this.manifestMac = hmac(keys.manifestMacKey());
    }

    /**
     * Starts a backup.
     *
     * @param target where the backup goes; its directory is made if missing
     * @param overwrite whether an existing file at {@code target} may be replaced (at commit)
     * @param deviceId the device making the backup: the ID its keys make, {@code DeviceIds.of(signer's
     *     public key, deviceAgreementKey)}
     * @param signer the device's Ed25519 key, which signs the backup
     * @param deviceAgreementKey the device's X25519 public key: the file key is wrapped for it, so
     *     that the device that holds its private key can open the backup without a service
     * @param service the license management service the backup is also made for, which can open it
     *     and re-bind its licenses to another device; null for a device without a service, whose
     *     backup then only that device can open
     * @param createdAt when the backup is made
     * @throws BackupFormatException of kind {@code EXISTS} when {@code target} exists and {@code overwrite} is false
     * @throws IllegalArgumentException for a device ID, key or signer that cannot make a valid backup
     */
    public static BackupWriter create(Path target, boolean overwrite, String deviceId, BackupSigner signer,
            byte[] deviceAgreementKey, ServiceRecipient service, Instant createdAt) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(deviceAgreementKey, "deviceAgreementKey");
        Objects.requireNonNull(createdAt, "createdAt");
        byte[] deviceIdBytes = deviceId.getBytes(StandardCharsets.UTF_8);
        if (deviceIdBytes.length == 0 || deviceIdBytes.length > MAX_DEVICE_ID_LENGTH) {
            throw new IllegalArgumentException("a device ID has 1 to " + MAX_DEVICE_ID_LENGTH + " bytes in UTF-8, not " + deviceIdBytes.length);
        }
        if (deviceAgreementKey.length != KeyAgreement.KEY_LENGTH) {
            throw new IllegalArgumentException("the device agreement key is an X25519 public key of " + KeyAgreement.KEY_LENGTH + " bytes");
        }
        byte[] deviceSigningKey = signer.publicKey();
        if (deviceSigningKey == null || deviceSigningKey.length != Signatures.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("the signer's public key is not an Ed25519 key of " + Signatures.PUBLIC_KEY_LENGTH + " bytes");
        }
        String idOfTheKeys = DeviceIds.of(deviceSigningKey, deviceAgreementKey);
        if (!deviceId.equals(idOfTheKeys)) {
            throw new IllegalArgumentException("the device ID " + deviceId + " is not the one its keys make, " + idOfTheKeys
                    + ": a reader would refuse the backup as forged");
        }
        Path absoluteTarget = target.toAbsolutePath();
        if (Files.isDirectory(absoluteTarget)) {
            throw new IOException(absoluteTarget + " is a directory, not a backup file");
        }
        if (!overwrite && Files.exists(absoluteTarget, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(absoluteTarget);
        }
        Path directory = absoluteTarget.getParent();
        Files.createDirectories(directory);

        byte[] fileKey = randomBytes(FILE_KEY_LENGTH);
        byte[] salt = randomBytes(SALT_LENGTH);
        byte[] header = fixedHeader(deviceIdBytes, deviceSigningKey, deviceAgreementKey, service, createdAt, salt);
        if (service != null) {
            wrapFileKey(fileKey, service.recipientKey(), LAYOUT.serviceWrapContext(header), header, LAYOUT.serviceWrapOffset,
                    "the service's X25519 key");
        }
        wrapFileKey(fileKey, deviceAgreementKey, LAYOUT.deviceWrapContext(header), header, LAYOUT.deviceWrapOffset,
                "the device agreement key");
        byte[] headerSignature = signChecked(signer, deviceSigningKey, LAYOUT.headerSignatureMessage(header));
        System.arraycopy(headerSignature, 0, header, LAYOUT.headerSignatureOffset, headerSignature.length);
        FileKeys keys = FileKeys.derive(LAYOUT, fileKey, salt);
        Arrays.fill(fileKey, (byte) 0);

        removeAbandonedTemporaryFiles(absoluteTarget);
        Path temporary = directory.resolve(temporaryPrefix(absoluteTarget) + HexFormat.of().formatHex(randomBytes(8))
                + TEMPORARY_SUFFIX);
        BEING_WRITTEN.add(temporary);
        FileChannel channel;
        try {
            channel = FileChannel.open(temporary, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    ownerOnly(directory));
        } catch (IOException | RuntimeException e) {
            BEING_WRITTEN.remove(temporary);
            throw e;
        }
        BackupWriter writer = new BackupWriter(absoluteTarget, temporary, overwrite, signer, deviceSigningKey, channel, header, keys);
        try {
            // Held until the channel closes: it tells a file being written from one a crash left behind.
            if (channel.tryLock() == null) {
                throw new IOException("cannot lock the new temporary file " + temporary);
            }
            // the record count, payload length and MACs are known only at commit, which rewrites them here
            writer.writeFully(header, LAYOUT.headerLength);
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /** Appends a record. */
    public void write(BackupRecord record) throws IOException {
        Objects.requireNonNull(record, "record");
        requireOpen();
        byte[] license = record.licenseView();
        if (payloadLength + RECORD_OVERHEAD + license.length > MAX_PAYLOAD_LENGTH) {
            throw new IOException("a backup holds at most " + MAX_PAYLOAD_LENGTH + " bytes of records");
        }
        try {
            ByteBuffer.wrap(lengthField).putInt(0, license.length);
            append(lengthField, RECORD_LENGTH_FIELD);
            append(license, license.length);
            recordCount++;
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /** How many records were written so far. */
    public long recordCount() {
        return recordCount;
    }

    /** How many bytes of the file were written so far; records still in the chunk buffer count once it is sealed. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Completes the backup: seals the last chunk, rewrites the header with the record count and MACs,
     * appends the device's signature, forces the file to disk, renames it onto the target (replacing
     * an old backup only now, and only when allowed) and forces the directory.
     *
     * @return the target
     * @throws BackupFormatException of kind {@code EXISTS} when a file appeared at the target meanwhile
     *     and overwriting was not allowed
     */
    public Path commit() throws IOException {
        requireOpen();
        try {
            sealChunk(true);
            ByteBuffer fields = ByteBuffer.wrap(header);
            fields.putLong(LAYOUT.recordCountOffset, recordCount);
            fields.putLong(LAYOUT.payloadLengthOffset, payloadLength);
            fields.put(LAYOUT.manifestMacOffset, manifestMac.doFinal());
            Mac headerMac = hmac(keys.headerMacKey());
            headerMac.update(header, 0, LAYOUT.headerMacOffset);
            fields.put(LAYOUT.headerMacOffset, headerMac.doFinal());
            writeFullyAt(header, 0);
            byte[] signature = signChecked(signer, deviceSigningKey, LAYOUT.fileSignatureMessage(header, bodyDigest.digest()));
            writeFully(signature, signature.length);
            awaitWriteback();
            stopWriteback();
            stopSealing();
            channel.force(true);
            // Renamed while still open and locked: another writer's clean-up must not take it for abandoned.
            publish();
            channel.close();
            BEING_WRITTEN.remove(temporary);
            forceDirectory(target.getParent());
            state = State.COMMITTED;
            keys.wipe();
            return target;
        } catch (IOException | RuntimeException e) {
            state = State.FAILED;
            close();
            throw e;
        }
    }

    /** Without {@link #commit()}: deletes the temporary file, leaving any previous backup at the target untouched. */
    @Override
    public void close() {
        if (state == State.COMMITTED || state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        keys.wipe();
        stopSealing();
        stopWriteback();
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is deleted next, whatever state its channel was left in
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // a leftover temporary file is clutter, not a backup: the next writer to this target deletes it
        } finally {
            BEING_WRITTEN.remove(temporary);
        }
    }

    private void append(byte[] source, int length) throws IOException {
        int offset = 0;
        while (offset < length) {
            // a full chunk is sealed only when more bytes come, because only commit knows the last one
            if (plaintextFill == CHUNK_SIZE) {
                sealChunk(false);
            }
            int count = Math.min(length - offset, CHUNK_SIZE - plaintextFill);
            System.arraycopy(source, offset, plaintext, plaintextFill, count);
            plaintextFill += count;
            offset += count;
        }
        payloadLength += length;
    }

    /**
     * Hands the full chunk to the sealing thread once it has written the one before, and goes on
     * filling the other buffer; the last chunk is sealed here, after the others.
     */
    private void sealChunk(boolean last) throws IOException {
        awaitSeal();
        byte[] full = plaintext;
        int length = plaintextFill;
        long index = chunkIndex;
        plaintext = sealing;
        sealing = full;
        plaintextFill = 0;
        chunkIndex++;
        if (last) {
            sealAndWrite(index, true, full, length);
            return;
        }
        if (sealingThread == null) {
            sealingThread = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "licensebackup-seal " + target.getFileName());
                thread.setDaemon(true);
                return thread;
            });
        }
        pendingSeal = sealingThread.submit(() -> {
            sealAndWrite(index, false, full, length);
            return null;
        });
    }

    private void sealAndWrite(long index, boolean last, byte[] chunk, int length) throws IOException {
        int sealed = cipher.seal(index, last, chunk, length, ciphertext);
        // the manifest chains the chunks' tags, which already authenticate their records and places:
        // a MAC over every plaintext byte would cost a second pass, about 0.7 s per GB
        manifestMac.update(ciphertext, sealed - Aead.TAG_LENGTH, Aead.TAG_LENGTH);
        digest(bodyDigest, ciphertext, sealed);
        writeFully(ciphertext, sealed);
        if (!last && bytesWritten - writebackRequestedAt >= WRITEBACK_INTERVAL) {
            startWriteback();
        }
    }

    /** Waits until the chunk with the sealing thread is written; what failed there fails here. */
    private void awaitSeal() throws IOException {
        if (pendingSeal == null) {
            return;
        }
        try {
            pendingSeal.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a chunk of the backup was sealed");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("sealing a chunk of the backup failed", e.getCause());
        } finally {
            pendingSeal = null;
        }
    }

    private void stopSealing() {
        if (sealingThread != null) {
            sealingThread.shutdownNow();
        }
    }

    private void startWriteback() throws IOException {
        if (pendingWriteback != null) {
            if (!pendingWriteback.isDone()) {
                return;  // the disk is still busy with the previous part: let the page cache take this one
            }
            awaitWriteback();
        }
        if (writebackThread == null) {
            writebackThread = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "licensebackup-writeback " + target.getFileName());
                thread.setDaemon(true);
                return thread;
            });
        }
        writebackRequestedAt = bytesWritten;
        pendingWriteback = writebackThread.submit(() -> {
            channel.force(false);
            return null;
        });
    }

    private void awaitWriteback() throws IOException {
        if (pendingWriteback == null) {
            return;
        }
        try {
            pendingWriteback.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the backup was written to disk");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("writing the backup to disk failed", e.getCause());
        } finally {
            pendingWriteback = null;
        }
    }

    private void writeFully(byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        bytesWritten += length;
    }

    private void writeFullyAt(byte[] bytes, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }

    private void publish() throws IOException {
        if (overwrite) {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        // a rename replaces an existing file on POSIX whatever the options say; a hard link never does
        try {
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException e) {
            throw exists(target);
        } catch (UnsupportedOperationException | IOException linksRefused) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw exists(target);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        try {
            Files.delete(temporary);
        } catch (IOException ignored) {
            // the backup is complete at the target; the second name is clutter that close() cannot reach now
        }
    }

    private void stopWriteback() {
        if (writebackThread != null) {
            // interrupting a force closes the channel, which an abandoned writer does anyway
            writebackThread.shutdownNow();
        }
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("the backup writer is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The fields before the wrapped keys; an absent service's fields stay zero. */
    private static byte[] fixedHeader(byte[] deviceId, byte[] deviceSigningKey, byte[] deviceAgreementKey, ServiceRecipient service,
            Instant createdAt, byte[] salt) {
        byte[] header = new byte[LAYOUT.headerLength];
        ByteBuffer fields = ByteBuffer.wrap(header);
        fields.put(MAGIC_OFFSET, MAGIC);
        fields.putShort(VERSION_OFFSET, (short) LAYOUT.version);
        fields.putShort(HEADER_LENGTH_OFFSET, (short) LAYOUT.headerLength);
        fields.put(AEAD_ID_OFFSET, (byte) AEAD_AES_256_GCM_STREAM);
        fields.put(KEY_WRAP_ID_OFFSET, (byte) LAYOUT.keyWrapAlgorithm);
        fields.put(SIGNATURE_ID_OFFSET, (byte) SIGNATURE_ED25519);
        fields.put(KDF_ID_OFFSET, (byte) KDF_HKDF_HMAC_SHA256);
        fields.putLong(CREATED_SECONDS_OFFSET, createdAt.getEpochSecond());
        fields.putInt(CREATED_NANOS_OFFSET, createdAt.getNano());
        fields.put(SALT_OFFSET, salt);
        fields.put(DEVICE_KEY_OFFSET, deviceSigningKey);
        fields.put(AGREEMENT_KEY_OFFSET, deviceAgreementKey);
        fields.put(DEVICE_ID_LENGTH_OFFSET, (byte) deviceId.length);
        fields.put(DEVICE_ID_OFFSET, deviceId);
        if (service != null) {
            Optional<byte[]> signingKey = service.signingKey();
            fields.put(LAYOUT.flagsOffset, (byte) (HeaderLayout.FLAG_SERVICE | (signingKey.isPresent() ? HeaderLayout.FLAG_SERVICE_SIGNING_KEY : 0)));
            fields.put(LAYOUT.serviceKeyOffset, service.recipientKey());
            signingKey.ifPresent(key -> fields.put(LAYOUT.serviceSigningKeyOffset, key));
            fields.put(LAYOUT.escrowOffset, service.deviceKeyEscrow());
        }
        return header;
    }

    private static void wrapFileKey(byte[] fileKey, byte[] recipientKey, byte[] context, byte[] header, int offset, String recipient) {
        try {
            byte[] wrapped = FileKeyWrap.wrap(fileKey, recipientKey, context);
            System.arraycopy(wrapped, 0, header, offset, LAYOUT.wrappedFileKeyLength);
        } catch (CryptoException e) {
            throw new IllegalArgumentException(recipient + " is not a usable X25519 public key", e);
        }
    }

    /** Signs and checks the signature, so a signer whose key does not match its public key fails here, not at restore. */
    private static byte[] signChecked(BackupSigner signer, byte[] publicKey, byte[] message) {
        byte[] signature = signer.sign(message);
        if (!Signatures.verify(publicKey, message, signature)) {
            throw new IllegalArgumentException("the signer's signature does not verify with its public key");
        }
        return signature;
    }

    private static String temporaryPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * Deletes the temporary files that earlier writers of this target left behind when they were
     * killed: only files of this writer's own name pattern, and only those that no writer holds
     * locked now (the operating system drops a dead process's locks). A file that cannot be looked
     * at or deleted stays; the backup goes on, as it did before anything was cleaned.
     */
    static void removeAbandonedTemporaryFiles(Path target) {
        Pattern ours = Pattern.compile(Pattern.quote(temporaryPrefix(target)) + "[0-9a-f]{16}" + Pattern.quote(TEMPORARY_SUFFIX));
        List<Path> candidates;
        try (Stream<Path> files = Files.list(target.getParent())) {
            candidates = files.filter(file -> ours.matcher(file.getFileName().toString()).matches()).toList();
        } catch (IOException | UncheckedIOException unreadable) {
            return;
        }
        for (Path candidate : candidates) {
            if (BEING_WRITTEN.contains(candidate)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    Files.deleteIfExists(candidate);
                }
            } catch (OverlappingFileLockException beingWrittenInThisProcess) {
                // a writer in this JVM holds it
            } catch (IOException gone) {
                // gone meanwhile, or not ours to open: nothing to clean
            }
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path directory) {
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel directoryChannel = FileChannel.open(directory, StandardOpenOption.READ)) {
            directoryChannel.force(true);
        } catch (IOException refused) {
            // Windows and some file systems cannot open or force a directory; the rename is as durable as they make it
        }
    }

    private static BackupFormatException exists(Path target) {
        return new BackupFormatException(BackupFormatException.Kind.EXISTS, target + " exists and overwriting was not allowed");
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
