package org.licensebackup.lms.server.internal;

import java.util.Set;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.lms.Allowance;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.FileKeyTransport;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.protocol.ProtocolException;
import org.licensebackup.lms.server.LicenseServer;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The license management service backed directly by the engine, for hosts (and tests) that run the
 * server in their own framework: no HTTP, no signatures, since caller and server share the process;
 * the same rules and ledger as for remote devices. A component while the server runs, with the lowest
 * ranking (any client configured wins), so that its manifest tells a resolver this bundle provides
 * the service; a new server configuration makes it anew, over the new server's engine.
 */
@Component(service = LicenseManagementService.class,
        property = {Constants.SERVICE_RANKING + ":Integer=" + Integer.MIN_VALUE, "lms.kind=in-process"})
public final class InProcessLicenseManagementService implements LicenseManagementService {

    private final LicenseServerEngine engine;

    /**
     * @param server this bundle's own server (the target names its component), whose engine this
     *     serves: the one implementation of {@link LicenseServer} it ever binds
     */
    @Activate
    public InProcessLicenseManagementService(
            @Reference(target = "(component.name=org.licensebackup.lms.server.internal.LicenseServerComponent)") LicenseServer server) {
        this(((LicenseServerComponent) server).engine());
    }

    InProcessLicenseManagementService(LicenseServerEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    @Override
    public ServiceKeys keys() {
        return engine.keys();
    }

    @Override
    public RestoreSession connect(DeviceIdentity device) {
        String sessionId = engine.openSession(device.signingPublicKey(), device.agreementPublicKey());
        return new Session(device, sessionId);
    }

    @Override
    public Set<KeyId> release(DeviceIdentity device, Collection<KeyId> keyIds) {
        return engine.release(device.deviceId(), List.copyOf(keyIds));
    }

    /** A session on the engine; an expired one reads as an unavailable service, as over HTTP. */
    private final class Session implements RestoreSession {

        private final DeviceIdentity device;
        private final String sessionId;

        Session(DeviceIdentity device, String sessionId) {
            this.device = device;
            this.sessionId = sessionId;
        }

        @Override
        public ServiceKeys serviceKeys() {
            return engine.keys();
        }

        @Override
        public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
            byte[] forDevice = live(() -> engine.unwrapFileKey(engine.session(sessionId), wrappedFileKey, context));
            return FileKeyTransport.unwrapOnDevice(forDevice, sessionId, context, device);
        }

        @Override
        public boolean trusts(byte[] signerKey) {
            return engine.trusts(signerKey);
        }

        @Override
        public void acceptDeviceKeyEscrow(String sourceDeviceId, byte[] escrow) {
            live(() -> {
                engine.acceptDeviceKeyEscrow(engine.session(sessionId), sourceDeviceId, escrow);
                return null;
            });
        }

        @Override
        public List<Allowance> allowances(List<License> licenses) {
            return live(() -> engine.allowances(engine.session(sessionId), licenses));
        }

        @Override
        public List<Rebinding> rebind(List<License> backedUp) {
            return live(() -> engine.rebind(engine.session(sessionId), backedUp));
        }

        /** The engine runs batches of one session at once: their ledger transactions lock rows in key order. */
        @Override
        public int concurrentRebinds() {
            return Limits.MAX_LANES;
        }

        @Override
        public void commit() {
            live(() -> {
                engine.commit(engine.session(sessionId));
                return null;
            });
        }

        @Override
        public void close() {
            engine.close(sessionId);
        }

        private <T> T live(java.util.function.Supplier<T> call) {
            try {
                return call.get();
            } catch (ProtocolException e) {
                if (e.code() == ErrorCode.TOO_LARGE) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
                throw new LmsUnavailableException("the license management session failed: " + e.getMessage(), e);
            }
        }
    }
}
