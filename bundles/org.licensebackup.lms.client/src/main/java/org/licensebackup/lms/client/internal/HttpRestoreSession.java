package org.licensebackup.lms.client.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiFunction;

import org.licensebackup.crypto.CryptoException;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.lms.protocol.Endpoints.SessionAction;
import org.licensebackup.lms.protocol.FileKeyTransport;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.protocol.Messages;
import org.licensebackup.lms.protocol.RequestSignatures;
import org.licensebackup.lms.protocol.RequestSignatures.InSession;
import org.licensebackup.lms.protocol.SignatureInput;

/**
 * A restore session with the server over HTTP. Each call is one request in one of the session's
 * lanes, with the lane's next sequence number, signed by the device; calls on several threads (the
 * SPI allows it for re-bindings) take a lane each, so their requests are with the server at once.
 * Big lists go in batches within the server's limits.
 */
final class HttpRestoreSession implements RestoreSession {

    private static final byte[] EMPTY = new byte[0];
    /** Room left in a body for the batch's count and each license's length. */
    private static final int BATCH_BYTES = Limits.MAX_BODY_BYTES - 64 * 1024;

    private final SignedTransport transport;
    private final RecoveredFailures recovered;
    private final DeviceIdentity device;
    private final ServiceKeys keys;
    private final Messages.SessionOpened session;
    /** The lanes no call is using, each with its last sequence number. */
    private final BlockingQueue<Lane> idleLanes = new ArrayBlockingQueue<>(Limits.MAX_LANES);
    private volatile boolean closed;

    /** A lane of the session: its number and the sequence number its last request had. */
    private static final class Lane {
        final int number;
        long sequence;

        Lane(int number) {
            this.number = number;
        }
    }

    /** @param recovered where a session that could not be closed is reported */
    HttpRestoreSession(SignedTransport transport, DeviceIdentity device, ServiceKeys keys, Messages.SessionOpened session,
            RecoveredFailures recovered) {
        this.transport = transport;
        this.recovered = recovered;
        this.device = device;
        this.keys = keys;
        this.session = session;
        for (int lane = 0; lane < Limits.MAX_LANES; lane++) {
            idleLanes.add(new Lane(lane));
        }
    }

    @Override
    public ServiceKeys serviceKeys() {
        return keys;
    }

    @Override
    public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
        byte[] answer = call(SessionAction.FILE_KEY, new Messages.FileKeyRequest(wrappedFileKey, context).encode());
        byte[] forDevice = SignedTransport.decoded(answer, Messages.FileKeyAnswer::decode).wrappedForDevice();
        try {
            return FileKeyTransport.unwrapOnDevice(forDevice, session.sessionId(), context, device);
        } catch (CryptoException e) {
            throw new LmsUnavailableException("the file key the license management server sent does not open on this device", e);
        }
    }

    @Override
    public boolean trusts(byte[] signerKey) {
        return signerKey != null && session.trustedSignerKeys().stream().anyMatch(key -> Arrays.equals(key, signerKey));
    }

    @Override
    public void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow) {
        call(SessionAction.ESCROW, new Messages.EscrowRequest(sourceDeviceId, escrow).encode());
    }

    @Override
    public List<Allowance> allowances(List<License> licenses) {
        return inBatches(licenses, (batch, body) -> {
            List<Allowance> answers = SignedTransport.decoded(call(SessionAction.ALLOWANCES, body),
                    Messages.AllowanceList::decode).allowances();
            requireOnePerLicense(batch, answers.stream().map(Allowance::keyId).toList());
            return answers;
        });
    }

    @Override
    public List<Rebinding> rebind(List<License> backedUp) {
        return inBatches(backedUp, (batch, body) -> {
            List<Rebinding> answers = SignedTransport.decoded(call(SessionAction.REBIND, body),
                    Messages.RebindingList::decode).rebindings();
            requireOnePerLicense(batch, answers.stream().map(Rebinding::keyId).toList());
            return answers;
        });
    }

    @Override
    public int concurrentRebinds() {
        return Limits.MAX_LANES;
    }

    @Override
    public void commit() {
        call(SessionAction.COMMIT, EMPTY);
    }

    /** Ends the session on the server; a server that cannot be reached drops it when it expires. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            call(SessionAction.CLOSE, EMPTY);
        } catch (LmsUnavailableException unreachable) {
            // Nothing was committed, so nothing counts: the server drops the session at its idle timeout.
            recovered.report("the restore session could not be closed (" + unreachable.getMessage()
                    + "); the server drops it when it expires");
        }
    }

    private byte[] call(SessionAction action, byte[] body) {
        if (closed && action != SessionAction.CLOSE) {
            throw new IllegalStateException("the restore session is closed");
        }
        Lane lane = takeLane();
        try {
            lane.sequence++;
            String path = action.path(session.sessionId());
            Map<String, String> headers = RequestSignatures.sign("POST", path, body, device.deviceId(),
                    new InSession(lane.number, lane.sequence), device::sign);
            byte[] signature = SignatureInput.parseSignature(headers.get(SignatureInput.SIGNATURE_HEADER), RequestSignatures.LABEL);
            return transport.exchange(path, body, headers, signature);
        } finally {
            idleLanes.add(lane);
        }
    }

    private Lane takeLane() {
        try {
            return idleLanes.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LmsUnavailableException("interrupted while waiting for a lane of the restore session", e);
        }
    }

    /**
     * Splits {@code licenses} into batches that the server takes, within its count and the body's
     * size, and hands each to {@code perBatch} with its request body: each license is encoded once,
     * to measure it and to send it.
     */
    private <T> List<T> inBatches(List<License> licenses, BiFunction<List<License>, byte[], List<T>> perBatch) {
        List<T> answers = new ArrayList<>(licenses.size());
        List<License> batch = new ArrayList<>();
        List<byte[]> encoded = new ArrayList<>();
        long batchBytes = 0;
        for (License license : licenses) {
            byte[] bytes = LicenseCodec.encode(license);
            if (!batch.isEmpty() && (batch.size() == session.maxBatchLicenses() || batchBytes + bytes.length + 4 > BATCH_BYTES)) {
                answers.addAll(perBatch.apply(batch, Messages.LicenseBatch.encode(encoded)));
                batch = new ArrayList<>();
                encoded = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(license);
            encoded.add(bytes);
            batchBytes += bytes.length + 4;
        }
        if (!batch.isEmpty()) {
            answers.addAll(perBatch.apply(batch, Messages.LicenseBatch.encode(encoded)));
        }
        return answers;
    }

    private static void requireOnePerLicense(List<License> batch, List<?> answeredKeyIds) {
        if (!batch.stream().map(License::keyId).toList().equals(answeredKeyIds)) {
            throw new LmsUnavailableException("the license management server answered for other licenses than it was asked about");
        }
    }
}
