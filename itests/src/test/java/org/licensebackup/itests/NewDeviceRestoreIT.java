package org.licensebackup.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.Operation;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.License;
import org.osgi.service.event.Event;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** A restore on a new device (fresh store, new device identity) re-binds the licenses to it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NewDeviceRestoreIT extends RestorerTestSupport {

    @Test
    public void aRestoreOnANewDeviceReBindsEveryLicenseToIt() throws Exception {
        List<License> issued = fill(store, issuer, "Film ", 10, BACKUP_ALLOWED);
        String oldDeviceId = device().deviceId();
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));

        becomeANewDevice();
        clear(store);
        DeviceIdentity newDevice = device();
        assertNotEquals(oldDeviceId, newDevice.deviceId());

        awaitFailure(restorer().restore(directory, RestoreOptions.defaults()), ErrorCode.REBIND_NOT_CONSENTED);
        assertEquals(0, store.count());

        EventRecorder recorder = recordEvents(EventTopics.RESTORE_ALL);
        Operation restore = restorer().restore(directory, RestoreOptions.withRebindConsent());
        Report report = awaitReport(restore);
        awaitEnd(recorder, EventTopics.RESTORE_END, restore);

        assertEquals(10, report.succeeded());
        assertEquals(oldDeviceId, report.sourceDeviceId());
        // a session with the license management service around the whole restore
        List<String> topics = eventsOf(recorder, restore).stream().map(Event::getTopic).toList();
        assertEquals(EventTopics.RESTORE_CONNECTING, topics.get(0));
        assertEquals(EventTopics.RESTORE_BEGIN, topics.get(1));
        assertEquals(EventTopics.RESTORE_DISCONNECTING, topics.get(topics.size() - 2));
        assertEquals(EventTopics.RESTORE_END, topics.get(topics.size() - 1));
        assertEquals(keyIds(issued), keyIds(store));
        try (var restored = store.licenses()) {
            restored.forEach(license -> {
                assertEquals(newDevice.deviceId(), license.grant().deviceId());
                assertEquals(16, newDevice.unwrapContentKey(license.grant().wrappedContentKey(), license.keyId().bytes()).length);
                assertFalse(java.util.Arrays.equals(issuer.publicKey(), license.signerKey()));
                assertTrue(Signatures.verify(license.signerKey(), license.signedBytes(), license.signature()));
            });
        }
        // the server now counts this device for each license: three more new devices may have them
        assertEquals(OptionalInt.of(3), awaitReport(restorer().verify(directory)).fewestDevicesLeft());
    }

    @Test
    public void theContentKeyIsTheSameAfterReBinding() throws Exception {
        License issued = fill(store, issuer, "Track ", 1, BACKUP_ALLOWED).get(0);
        byte[] contentKey = device().unwrapContentKey(issued.grant().wrappedContentKey(), issued.keyId().bytes());
        Path directory = freshDirectory();
        awaitReport(restorer().backup(directory, BackupOptions.defaults()));

        becomeANewDevice();
        clear(store);
        awaitReport(restorer().restore(directory, RestoreOptions.withRebindConsent()));

        License restored = store.find(issued.keyId()).orElseThrow();
        assertArrayEquals(contentKey, device().unwrapContentKey(restored.grant().wrappedContentKey(), restored.keyId().bytes()));
    }
}
