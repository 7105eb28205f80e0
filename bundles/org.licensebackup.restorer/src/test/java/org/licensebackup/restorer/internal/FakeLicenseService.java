package org.licensebackup.restorer.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.licensebackup.crypto.DeviceKeyEscrow;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.RawKeyPair;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.LicenseCodec;
import org.licensebackup.license.LicenseGrant;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.ServiceKeys;

/**
 * A license management service that the jobs' tests steer: it opens what was wrapped for its key,
 * re-binds every license it is given to the session's device (keeping the content key as it is: the
 * jobs never look inside), refuses those it is told to, and records what it was asked.
 */
final class FakeLicenseService implements LicenseManagementService {

    static final String SUPPORT_URL = "https://support.example/licenses";

    private final RawKeyPair agreement = KeyAgreement.generate();
    private final RawKeyPair signing = Signatures.generate();
    final Set<KeyId> refused = new HashSet<>();
    final Map<KeyId, Allowance> allowances = new HashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<KeyId> released = new ArrayList<>();
    boolean failsAtCommit;
    boolean unreachable;
    /** Key IDs the service does not count for the device: a release leaves them. */
    final Set<KeyId> notCounted = new HashSet<>();
    /** How many re-bindings a session takes at once; with more than one, each waits until another has started. */
    int concurrentRebinds = 1;
    /** The most re-bindings that ran at once. */
    final java.util.concurrent.atomic.AtomicInteger mostRebindsAtOnce = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger rebindsNow = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch secondRebindStarted = new java.util.concurrent.CountDownLatch(2);

    @Override
    public ServiceKeys keys() {
        return new ServiceKeys(agreement.publicKey(), signing.publicKey());
    }

    @Override
    public RestoreSession connect(DeviceIdentity device) {
        calls.add("connect");
        if (unreachable) {
            throw new LmsUnavailableException("the service cannot be reached");
        }
        return new Session(device.deviceId());
    }

    @Override
    public Set<KeyId> release(DeviceIdentity device, Collection<KeyId> keyIds) {
        calls.add("release");
        if (unreachable) {
            throw new LmsUnavailableException("the service cannot be reached");
        }
        Set<KeyId> counted = new HashSet<>(keyIds);
        counted.removeAll(notCounted);
        released.addAll(keyIds.stream().filter(counted::contains).toList());
        return counted;
    }

    private final class Session implements RestoreSession {

        private final String deviceId;
        private final Set<String> escrowed = new HashSet<>();

        Session(String deviceId) {
            this.deviceId = deviceId;
        }

        @Override
        public ServiceKeys serviceKeys() {
            return keys();
        }

        @Override
        public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
            calls.add("unwrapFileKey");
            return FileKeyWrap.unwrap(wrappedFileKey, agreement, context);
        }

        @Override
        public boolean trusts(byte[] signerKey) {
            return true;
        }

        @Override
        public void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow) {
            calls.add("acceptDeviceKeyEscrow");
            DeviceKeyEscrow.unwrap(escrow, sourceDeviceId, agreement);
            escrowed.add(sourceDeviceId);
        }

        @Override
        public List<Allowance> allowances(List<License> licenses) {
            calls.add("allowances");
            return licenses.stream().map(license -> allowances.getOrDefault(license.keyId(),
                    new Allowance(license.keyId(), 0, 4, false))).toList();
        }

        @Override
        public int concurrentRebinds() {
            return concurrentRebinds;
        }

        @Override
        public List<Rebinding> rebind(List<License> backedUp) {
            calls.add("rebind");
            mostRebindsAtOnce.accumulateAndGet(rebindsNow.incrementAndGet(), Math::max);
            try {
                if (concurrentRebinds > 1) {
                    secondRebindStarted.countDown();
                    // bounded: a caller that never sends a second batch at once shows in mostRebindsAtOnce
                    secondRebindStarted.await(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                return rebound(backedUp);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LmsUnavailableException("interrupted", e);
            } finally {
                rebindsNow.decrementAndGet();
            }
        }

        private List<Rebinding> rebound(List<License> backedUp) {
            List<Rebinding> answers = new ArrayList<>();
            for (License license : backedUp) {
                if (!escrowed.contains(license.grant().deviceId())) {
                    throw new RestoreFraudException("no escrow for " + license.grant().deviceId());
                }
                if (refused.contains(license.keyId())) {
                    answers.add(new Rebinding.Refused(license.keyId(), Rebinding.Refusal.DEVICE_LIMIT_REACHED,
                            "on 4 devices already", Optional.of(SUPPORT_URL + "?kid=" + license.keyId())));
                } else {
                    LicenseGrant rebound = license.grant().reboundTo(deviceId, license.grant().wrappedContentKey(), Instant.now());
                    byte[] signature = Signatures.sign(signing, LicenseCodec.encodeGrant(rebound));
                    answers.add(new Rebinding.Rebound(License.of(rebound, signing.publicKey(), signature, license.usage())));
                }
            }
            return answers;
        }

        @Override
        public void commit() {
            calls.add("commit");
            if (failsAtCommit) {
                throw new LmsUnavailableException("the service went away before the commit");
            }
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }
}
