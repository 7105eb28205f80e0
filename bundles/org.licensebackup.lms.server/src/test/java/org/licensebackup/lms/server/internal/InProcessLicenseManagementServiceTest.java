package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.FileKeyWrap;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;

/** The server's in-process service: the SPI on the engine, for hosts that run the server in their framework. */
class InProcessLicenseManagementServiceTest {

    @TempDir
    Path folder;

    private final Issuer issuer = Issuer.generate("studio");
    private final DeviceIdentity origin = TestDevices.generate();
    private LicenseServerComponent server;
    private LicenseManagementService service;

    @BeforeEach
    void start() {
        server = new LicenseServerComponent(null, configuration(LicenseServerComponent.Config.class, Map.of("port", 0,
                "database.path", folder.resolve("lms").toString(), "device.limit", 1,
                "trusted.issuer.keys", new String[] {Base64.getEncoder().encodeToString(issuer.publicKey())})), H2Drivers.h2());
        service = server.inProcessService();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRestoreThroughTheInProcessServiceFollowsTheServersRulesAndLedger() {
        License backedUp = issuer.issue(LicenseSpec.of("Metropolis", Rights.unlimited().withBackupAllowed(true)),
                origin.deviceId(), origin.agreementPublicKey());
        byte[] fileKey = new byte[32];
        fileKey[0] = 3;
        byte[] context = "org.licensebackup backup v2 file key for the service\0header".getBytes();
        DeviceIdentity newDevice = TestDevices.generate();

        assertEquals(server.keys(), service.keys());
        try (RestoreSession session = service.connect(newDevice)) {
            assertArrayEquals(fileKey, session.unwrapFileKey(FileKeyWrap.wrap(fileKey, service.keys().agreementKey(), context), context));
            assertTrue(session.trusts(issuer.publicKey()));
            session.acceptDeviceKeyEscrow(origin.deviceId(), origin.escrowAgreementKey(service.keys().agreementKey()));
            License rebound = assertInstanceOf(Rebinding.Rebound.class, session.rebind(List.of(backedUp)).get(0)).license();
            session.commit();
            assertEquals(newDevice.deviceId(), rebound.grant().deviceId());
        }
        try (RestoreSession another = service.connect(TestDevices.generate())) {
            another.acceptDeviceKeyEscrow(origin.deviceId(), origin.escrowAgreementKey(service.keys().agreementKey()));
            assertEquals(Rebinding.Refusal.DEVICE_LIMIT_REACHED,
                    assertInstanceOf(Rebinding.Refused.class, another.rebind(List.of(backedUp)).get(0)).refusal());
        }
        assertEquals(Set.of(backedUp.keyId()), service.release(newDevice, List.of(backedUp.keyId())));
    }

    @Test
    void aClosedSessionIsUnavailable() {
        RestoreSession session = service.connect(TestDevices.generate());
        session.close();

        assertThrows(LmsUnavailableException.class, session::commit);
    }

    /** The component's configuration from {@code values} and its defaults, as SCR would hand it over. */
    private static <A> A configuration(Class<A> type, Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(type);
    }
}
