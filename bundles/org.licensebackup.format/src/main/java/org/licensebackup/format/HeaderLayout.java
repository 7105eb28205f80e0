package org.licensebackup.format;

import static org.licensebackup.format.Format.*;

import org.licensebackup.crypto.Aead;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;

/**
 * Where one version's header keeps what {@link Format} does not fix, and the labels that keep its
 * keys and signatures apart from every other version's. The fields from the magic to the device ID
 * lie at the same offsets in every version; what follows differs:
 *
 * <pre>
 * version 1: escrow[80] | wrapped file key (service)[80] | signature[64] | count | length | manifest | MAC
 * version 2: flags[1] | service key[32] | service signing key[32] | escrow[80]
 *            | wrapped file key (service)[81] | wrapped file key (device)[81] | signature[64] | count | length | manifest | MAC
 * </pre>
 */
final class HeaderLayout {

    /** The header flags of version 2: bit 0, a license management service is named; bit 1, with its signing key. */
    static final int FLAG_SERVICE = 0x01;
    static final int FLAG_SERVICE_SIGNING_KEY = 0x02;
    static final int KNOWN_FLAGS = FLAG_SERVICE | FLAG_SERVICE_SIGNING_KEY;

    static final HeaderLayout V1 = new HeaderLayout(1, 1, -1, AGREEMENT_KEY_OFFSET, -1, DEVICE_ID_END,
            FileKeyWrap.WRAPPED_V1_LENGTH, false);
    static final HeaderLayout V2 = new HeaderLayout(2, 2, DEVICE_ID_END, DEVICE_ID_END + 1, DEVICE_ID_END + 1 + KeyAgreement.KEY_LENGTH,
            DEVICE_ID_END + 1 + KeyAgreement.KEY_LENGTH + Signatures.PUBLIC_KEY_LENGTH, FileKeyWrap.WRAPPED_V2_LENGTH, true);

    final int version;
    final int keyWrapAlgorithm;
    /** -1 when the version has no flags. */
    final int flagsOffset;
    final int serviceKeyOffset;
    /** -1 when the version does not carry the service's signing key. */
    final int serviceSigningKeyOffset;
    final int escrowOffset;
    /** Everything the file key is wrapped in the context of: the fields before the wrapped keys. */
    final int wrapContextEnd;
    final int wrappedFileKeyLength;
    final int serviceWrapOffset;
    /** -1 when the version has no file key wrapped for the device. */
    final int deviceWrapOffset;
    /** The fields known when the writer starts, which the device signs at once. */
    final int fixedPartEnd;
    final int headerSignatureOffset;
    final int recordCountOffset;
    final int payloadLengthOffset;
    final int manifestMacOffset;
    final int headerMacOffset;
    final int headerLength;

    final byte[] headerSignatureLabel;
    final byte[] fileSignatureLabel;
    final byte[] serviceWrapLabel;
    final byte[] deviceWrapLabel;
    final byte[] payloadKeyInfo;
    final byte[] headerMacKeyInfo;
    final byte[] manifestMacKeyInfo;

    private HeaderLayout(int version, int keyWrapAlgorithm, int flagsOffset, int serviceKeyOffset, int serviceSigningKeyOffset,
            int escrowOffset, int wrappedFileKeyLength, boolean wrappedForDevice) {
        this.version = version;
        this.keyWrapAlgorithm = keyWrapAlgorithm;
        this.flagsOffset = flagsOffset;
        this.serviceKeyOffset = serviceKeyOffset;
        this.serviceSigningKeyOffset = serviceSigningKeyOffset;
        this.escrowOffset = escrowOffset;
        this.wrapContextEnd = escrowOffset + DEVICE_KEY_ESCROW_LENGTH;
        this.wrappedFileKeyLength = wrappedFileKeyLength;
        this.serviceWrapOffset = wrapContextEnd;
        this.deviceWrapOffset = wrappedForDevice ? serviceWrapOffset + wrappedFileKeyLength : -1;
        this.fixedPartEnd = serviceWrapOffset + wrappedFileKeyLength * (wrappedForDevice ? 2 : 1);
        this.headerSignatureOffset = fixedPartEnd;
        this.recordCountOffset = headerSignatureOffset + Signatures.SIGNATURE_LENGTH;
        this.payloadLengthOffset = recordCountOffset + 8;
        this.manifestMacOffset = payloadLengthOffset + 8;
        this.headerMacOffset = manifestMacOffset + MAC_LENGTH;
        this.headerLength = headerMacOffset + MAC_LENGTH;
        String prefix = "org.licensebackup backup v" + version + " ";
        this.headerSignatureLabel = label(prefix + "header");
        this.fileSignatureLabel = label(prefix + "file");
        this.serviceWrapLabel = label(prefix + (version == 1 ? "file key" : "file key for the service"));
        this.deviceWrapLabel = wrappedForDevice ? label(prefix + "file key for the device") : null;
        this.payloadKeyInfo = ascii(prefix + "payload key");
        this.headerMacKeyInfo = ascii(prefix + "header mac key");
        this.manifestMacKeyInfo = ascii(prefix + "manifest mac key");
    }

    /** The layout of {@code version}, or null for a version this reader does not know. */
    static HeaderLayout of(int version) {
        return switch (version) {
            case 1 -> V1;
            case 2 -> V2;
            default -> null;
        };
    }

    boolean wrapsForDevice() {
        return deviceWrapOffset >= 0;
    }

    long fileLength(long payloadLength) {
        return headerLength + payloadLength + chunkCount(payloadLength) * Aead.TAG_LENGTH + TRAILER_LENGTH;
    }

    byte[] fileSignatureMessage(byte[] header, byte[] bodyDigest) {
        byte[] message = concat(fileSignatureLabel, header, headerLength);
        return concat(message, bodyDigest, bodyDigest.length);
    }

    byte[] headerSignatureMessage(byte[] header) {
        return concat(headerSignatureLabel, header, fixedPartEnd);
    }

    byte[] serviceWrapContext(byte[] header) {
        return concat(serviceWrapLabel, header, wrapContextEnd);
    }

    byte[] deviceWrapContext(byte[] header) {
        return concat(deviceWrapLabel, header, wrapContextEnd);
    }
}
