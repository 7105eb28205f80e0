package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;

/**
 * A host that sets no {@value #HOME_PROPERTY} (a plain Felix): the device key and the store live in
 * {@code .licensebackup} in the user's home directory, never in a bundle's data area, so they
 * survive the uninstall and install of their bundles, as an upgrade does it. The container's
 * {@code user.home} is a fresh directory, so that the test leaves the real one alone.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DefaultHomeIT extends LicenseBackupTestSupport {

    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(10);
    private static final String DEVICE_BUNDLE = "org.licensebackup.device";
    private static final String STORE_BUNDLE = "org.licensebackup.store.embedded";

    @Override
    protected Option homeOption() throws IOException {
        return frameworkProperty("user.home").value(freshHomeDirectory().toString());
    }

    @Test
    public void withoutTheHomePropertyTheDeviceAndTheStoreLiveInTheUsersLicensebackupFolder() {
        awaitService(DeviceIdentity.class, SERVICE_TIMEOUT);
        awaitService(LicenseStore.class, SERVICE_TIMEOUT);
        Path home = home();

        assertTrue(Files.isRegularFile(home.resolve("device.key")));
        assertTrue(Files.isRegularFile(home.resolve("licenses.db")));
        assertFalse(inDataArea(DEVICE_BUNDLE, "device.key"));
        assertFalse(inDataArea(STORE_BUNDLE, "licenses.db"));
    }

    @Test
    public void theDeviceAndItsLicensesSurviveAnUninstallAndInstallOfTheirBundles() throws Exception {
        DeviceIdentity device = awaitService(DeviceIdentity.class, SERVICE_TIMEOUT);
        String deviceId = device.deviceId();
        LicenseStore store = awaitService(LicenseStore.class, SERVICE_TIMEOUT);
        License license = Issuer.generate("Studio").issue(LicenseSpec.of("Film", Rights.unlimited().withBackupAllowed(true)),
                deviceId, device.agreementPublicKey());
        try (StoreTransaction transaction = store.begin()) {
            transaction.put(List.of(license));
            transaction.commit();
        }

        reinstall(DEVICE_BUNDLE);
        reinstall(STORE_BUNDLE);

        assertEquals(deviceId, deviceIdOfTheInstalledBundle());
        LicenseStore reopened = awaitService(LicenseStore.class, SERVICE_TIMEOUT);
        try (Stream<License> licenses = reopened.licenses()) {
            assertEquals(List.of(license.keyId()), licenses.map(License::keyId).toList());
        }
    }

    /**
     * The device ID that the device bundle installed now says. This test's own view of the device
     * API is the uninstalled bundle's until a refresh (which would restart the test), so the
     * service is found by name and asked by reflection.
     */
    private String deviceIdOfTheInstalledBundle() throws Exception {
        Bundle installed = bundle(DEVICE_BUNDLE);
        long deadline = System.nanoTime() + SERVICE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ServiceReference<?>[] references = bundleContext().getAllServiceReferences(DeviceIdentity.class.getName(), null);
            for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
                if (reference.getBundle() != null && reference.getBundle().equals(installed)) {
                    Object device = bundleContext().getService(reference);
                    try {
                        return (String) device.getClass().getMethod("deviceId").invoke(device);
                    } finally {
                        bundleContext().ungetService(reference);
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the reinstalled device bundle registered no device identity within " + SERVICE_TIMEOUT);
    }

    private Path home() {
        return Path.of(bundleContext().getProperty("user.home"), ".licensebackup");
    }

    private boolean inDataArea(String symbolicName, String fileName) {
        File file = bundle(symbolicName).getBundleContext().getDataFile(fileName);
        return file != null && file.exists();
    }

    /** Uninstalls the bundle, then installs it again from where it came from, and starts it: an upgrade's steps. */
    private void reinstall(String symbolicName) throws BundleException {
        Bundle bundle = bundle(symbolicName);
        String location = bundle.getLocation();
        bundle.uninstall();
        bundleContext().installBundle(location).start();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext().getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError(symbolicName + " is not installed");
    }
}
