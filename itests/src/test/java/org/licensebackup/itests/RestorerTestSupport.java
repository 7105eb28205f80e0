package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Operation;
import org.licensebackup.api.Report;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.server.LicenseServer;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreProperties;
import org.licensebackup.store.StoreTransaction;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;

/** What the tests of the BackupRestorer service share: the services, licenses to fill stores with, waiting for results. */
abstract class RestorerTestSupport extends LicenseBackupTestSupport {

    /** The license management server, run in the container: its in-process service serves the restorer. */
    static final String LMS_PID = "org.licensebackup.lms.server";
    static final String LMS_CLIENT_PID = "org.licensebackup.lms.client";
    static final String DEVICE_PID = "org.licensebackup.device";
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);
    static final Rights BACKUP_ALLOWED = Rights.unlimited().withBackupAllowed(true);

    /** Registered from a test's own threads too (a store swapper): safe to change from any thread. */
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
    private boolean deviceReplaced;

    /** A new issuer the license management service trusts, for each test. */
    Issuer issuer;
    /** The embedded store, emptied before each test. */
    LicenseStore store;

    @org.junit.Before
    public void startFromAnEmptyEmbeddedStoreAndATrustedIssuer() {
        issuer = trustedIssuer();
        store = embeddedStore();
        clear(store);
    }

    BackupRestorer restorer() {
        return awaitService(BackupRestorer.class, DEFAULT_TIMEOUT);
    }

    LicenseStore embeddedStore() {
        return awaitService(LicenseStore.class, "(" + StoreProperties.NAME + "=embedded)", DEFAULT_TIMEOUT);
    }

    DeviceIdentity device() {
        return awaitService(DeviceIdentity.class, DEFAULT_TIMEOUT);
    }

    /** A new issuer that the license management server in the container trusts. */
    Issuer trustedIssuer() {
        Issuer issuer = Issuer.generate("Test Issuer");
        configure(LMS_PID, Map.of(
                "port", 0,
                "trusted.issuer.keys", new String[] {Base64.getEncoder().encodeToString(issuer.publicKey())}));
        return issuer;
    }

    /**
     * Points the host at a license server that cannot be reached (nothing listens on port 1 of the
     * loopback) instead of the one in the container, which stops: the HTTP client is then the only
     * license management service there is. The next test's set-up starts the container's server again.
     */
    void useAnUnreachableLicenseServer() throws IOException, InterruptedException {
        awaitService(ConfigurationAdmin.class, DEFAULT_TIMEOUT).getConfiguration(LMS_PID, "?").delete();
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (bundleContext().getServiceReference(LicenseServer.class) != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the license server did not stop");
            }
            Thread.sleep(20);
        }
        configure(LMS_CLIENT_PID, Map.of("url", "http://127.0.0.1:1/", "connect.timeout.ms", 1000, "retries", 0));
    }

    void forgetTheUnreachableLicenseServer() throws IOException {
        awaitService(ConfigurationAdmin.class, DEFAULT_TIMEOUT).getConfiguration(LMS_CLIENT_PID, "?").delete();
    }

    /**
     * Gives the device a new key file, as a reinstalled host or another machine has, and waits until
     * it shows; the test's end gives the device its own key back.
     */
    void becomeANewDevice() throws IOException, InterruptedException {
        deviceReplaced = true;
        String before = device().deviceId();
        configure(DEVICE_PID, Map.of("path", freshDirectory().resolve("device.key").toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (device().deviceId().equals(before)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the device identity did not change");
            }
            Thread.sleep(20);
        }
    }

    /** Licenses issued to this device, titled {@code prefix + n}, put in {@code store} in one transaction. */
    List<License> fill(LicenseStore store, Issuer issuer, String prefix, int count, Rights rights) {
        DeviceIdentity device = device();
        List<License> licenses = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            licenses.add(issuer.issue(LicenseSpec.of(prefix + n, rights), device.deviceId(), device.agreementPublicKey()));
        }
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(licenses);
            transaction.commit();
        }
        return licenses;
    }

    static void clear(LicenseStore store) {
        List<KeyId> all;
        try (var licenses = store.licenses()) {
            all = licenses.map(License::keyId).toList();
        }
        try (StoreTransaction transaction = store.begin()) {
            transaction.delete(all);
            transaction.commit();
        }
        assertEquals(0, store.count());
    }

    static List<KeyId> keyIds(LicenseStore store) {
        try (var licenses = store.licenses()) {
            return licenses.map(License::keyId).sorted().toList();
        }
    }

    static List<KeyId> keyIds(List<License> licenses) {
        return licenses.stream().map(License::keyId).sorted().toList();
    }

    static Report awaitReport(Operation operation) throws InterruptedException {
        try {
            return operation.result().timeout(OPERATION_TIMEOUT.toMillis()).getValue();
        } catch (InvocationTargetException e) {
            throw new AssertionError(operation + " failed", e.getCause());
        }
    }

    static BackupRestoreException awaitFailure(Operation operation, ErrorCode expected) throws InterruptedException {
        Throwable failure = operation.result().timeout(OPERATION_TIMEOUT.toMillis()).getFailure();
        if (!(failure instanceof BackupRestoreException typed)) {
            throw new AssertionError(operation + " should have failed with " + expected + " but ended with " + failure, failure);
        }
        assertEquals(String.valueOf(failure), expected, typed.code());
        return typed;
    }

    static void assertRefused(ErrorCode expected, Runnable call) {
        try {
            call.run();
            fail("expected " + expected);
        } catch (BackupRestoreException e) {
            assertEquals(expected, e.code());
        }
    }

    /**
     * The END of {@code operation}. Its promise is settled before its END is posted, so an END that
     * a recorder gets after an earlier operation's promise may still be that operation's: wait for
     * this one's by its ID.
     */
    static Event awaitEnd(EventRecorder recorder, String topic, Operation operation) {
        return recorder.await(topic, event -> operation.id().equals(event.getProperty("operation.id")), OPERATION_TIMEOUT);
    }

    /** The events of one operation, in the order they arrived, checked to be numbered 1, 2, 3, ... */
    static List<Event> eventsOf(EventRecorder recorder, Operation operation) {
        List<Event> events = recorder.events().stream()
                .filter(event -> operation.id().equals(event.getProperty("operation.id")))
                .toList();
        for (int i = 0; i < events.size(); i++) {
            assertEquals("sequence of " + events.get(i), (long) i + 1, events.get(i).getProperty("sequence"));
        }
        return events;
    }

    /** A new directory under the build's target folder, so test runs leave nothing behind elsewhere. */
    Path freshDirectory() throws IOException {
        Path homes = Path.of(System.getProperty("licensebackup.itest.homes"));
        Files.createDirectories(homes);
        return Files.createTempDirectory(homes, "backup-");
    }

    /** Registers {@code store} as a host would, with {@code ranking}; unregistered at the end of the test. */
    ServiceRegistration<LicenseStore> registerHostStore(LicenseStore store, int ranking) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<LicenseStore> registration = bundleContext().registerService(LicenseStore.class, store, properties);
        registrations.add(registration);
        return registration;
    }

    void unregister(ServiceRegistration<?> registration) {
        registrations.remove(registration);
        registration.unregister();
    }

    @org.junit.After
    public void giveTheDeviceItsOwnKeyBack() {
        if (deviceReplaced) {
            configure(DEVICE_PID, Map.of());
            deviceReplaced = false;
        }
    }

    @org.junit.After
    public void unregisterHostServices() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    static Instant past() {
        return Instant.now().minus(Duration.ofDays(1));
    }

    static void assertFileCount(Path directory, int expected) throws IOException {
        try (var files = Files.list(directory)) {
            List<Path> all = files.toList();
            assertEquals("files in " + directory + ": " + all, expected, all.size());
        }
    }

    static <T> T requireNonNull(T value) {
        assertTrue(Objects.nonNull(value));
        return value;
    }
}
