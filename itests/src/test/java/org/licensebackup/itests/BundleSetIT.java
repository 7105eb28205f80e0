package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.api.BackupRestorer;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.embedded.EmbeddedLicenseStore;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleSetIT extends LicenseBackupTestSupport {

    private static final String OUR_BUNDLES_PREFIX = "org.licensebackup.";

    private static final Set<String> EXPECTED_BUNDLES = Set.of(
            "org.licensebackup.api",
            "org.licensebackup.store.spi",
            "org.licensebackup.crypto",
            "org.licensebackup.device",
            "org.licensebackup.format",
            "org.licensebackup.policy",
            "org.licensebackup.events",
            "org.licensebackup.lms.spi",
            "org.licensebackup.lms.protocol",
            "org.licensebackup.lms.server",
            "org.licensebackup.lms.client",
            "org.licensebackup.store.embedded",
            "org.licensebackup.store.memory",
            "org.licensebackup.issuer",
            "org.licensebackup.restorer",
            "org.licensebackup.cli");

    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(10);

    @Test
    public void everyLicenseBackupBundleIsInstalledAndActive() {
        Map<String, Bundle> ours = Arrays.stream(bundleContext().getBundles())
                .filter(bundle -> bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith(OUR_BUNDLES_PREFIX))
                .collect(Collectors.toMap(Bundle::getSymbolicName, Function.identity()));

        assertTrue("missing bundles: " + missing(ours.keySet()), ours.keySet().containsAll(EXPECTED_BUNDLES));
        List<String> notActive = ours.values().stream()
                .filter(bundle -> bundle.getState() != Bundle.ACTIVE)
                .map(bundle -> bundle.getSymbolicName() + " is " + stateName(bundle.getState()))
                .toList();
        assertEquals("bundles that are not ACTIVE", List.of(), notActive);
    }

    @Test
    public void theEmbeddedStoreIsRegisteredWithTheLowestRanking() {
        long embeddedStoreBundle = bundleNamed("org.licensebackup.store.embedded").getBundleId();

        ServiceReference<LicenseStore> store = awaitServiceReference(
                LicenseStore.class, "(" + Constants.SERVICE_BUNDLEID + "=" + embeddedStoreBundle + ")", SERVICE_TIMEOUT);

        assertEquals(Integer.MIN_VALUE, store.getProperty(Constants.SERVICE_RANKING));
    }

    /**
     * sqlite-jdbc loads its native library inside the framework (it is an OSGi bundle with the
     * libraries inside), and the embedded store works on it: a count is a query.
     */
    @Test
    public void theEmbeddedStoreRunsOnSqliteInsideTheFramework() {
        assertEquals(Bundle.ACTIVE, bundleNamed("org.xerial.sqlite-jdbc").getState());
        long embeddedStoreBundle = bundleNamed("org.licensebackup.store.embedded").getBundleId();

        LicenseStore store = awaitService(LicenseStore.class, "(" + Constants.SERVICE_BUNDLEID + "=" + embeddedStoreBundle + ")",
                SERVICE_TIMEOUT);

        assertEquals(0, store.count());
        assertTrue(Files.isRegularFile(Path.of(bundleContext().getProperty(HOME_PROPERTY), EmbeddedLicenseStore.DEFAULT_FILE_NAME)));
    }

    @Test
    public void theDeviceIdentityIsRegistered() {
        awaitService(DeviceIdentity.class, SERVICE_TIMEOUT);
    }

    @Test
    public void theLicenseServerServesInProcessOnceConfigured() {
        configure("org.licensebackup.lms.server", Map.of("port", 0));
        awaitService(LicenseManagementService.class, SERVICE_TIMEOUT);
    }

    @Test
    public void theBackupRestorerIsRegistered() {
        awaitService(BackupRestorer.class, SERVICE_TIMEOUT);
    }

    /**
     * Felix stamps each bundle with its install time, and Pax Exam installs its probe only once the
     * provisioned bundles are started: so first install -> probe install is the bundle set's start,
     * and first install -> services up adds the components' activation. Printed, never asserted: a
     * busy machine is no failure of the product (the launcher's figures are the benchmark's).
     */
    @Test
    public void theBundleSetStartsAndItsServicesComeUp() {
        Bundle probe = bundleContext().getBundle();
        long firstInstalled = Arrays.stream(bundleContext().getBundles())
                .filter(bundle -> bundle.getBundleId() != Constants.SYSTEM_BUNDLE_ID && !bundle.equals(probe))
                .mapToLong(Bundle::getLastModified)
                .min()
                .orElseThrow();

        awaitService(LicenseStore.class, SERVICE_TIMEOUT);
        awaitService(DeviceIdentity.class, SERVICE_TIMEOUT);
        awaitService(BackupRestorer.class, SERVICE_TIMEOUT);
        long servicesUpMillis = System.currentTimeMillis() - firstInstalled;

        System.out.println("Bundle set (with Pax Exam's own bundles): installed and started in "
                + (probe.getLastModified() - firstInstalled) + " ms; store, device identity and BackupRestorer services up after "
                + servicesUpMillis + " ms");
    }

    private Bundle bundleNamed(String symbolicName) {
        return Arrays.stream(bundleContext().getBundles())
                .filter(bundle -> symbolicName.equals(bundle.getSymbolicName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
    }

    private static Set<String> missing(Set<String> installed) {
        return EXPECTED_BUNDLES.stream().filter(name -> !installed.contains(name)).collect(Collectors.toSet());
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED (unresolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "in state " + state;
        };
    }
}
