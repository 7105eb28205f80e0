package org.licensebackup.lms.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.lms.LmsUnavailableException;
import org.osgi.framework.BundleContext;

/** The component as SCR drives it, with its configuration and bundle context stood in for by proxies. */
class EmbeddedLicenseManagementComponentTest {

    @TempDir
    Path folder;

    private final Map<String, Object> configuration = new HashMap<>();
    private String homeProperty;

    private EmbeddedLicenseManagementService.Config config() {
        Map<String, Object> values = new HashMap<>(Map.of(
                "path", "", "device_limit", 4, "trusted_issuer_keys", new String[0], "available", true));
        values.putAll(configuration);
        return (EmbeddedLicenseManagementService.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EmbeddedLicenseManagementService.Config.class},
                (proxy, method, args) -> values.get(method.getName()));
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> org.licensebackup.datalocation.DataLocation.HOME_PROPERTY.equals(args[0]) ? homeProperty : null;
                    case "getDataFile" -> new File(folder.resolve("data").toFile(), (String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void keepsItsStateInTheLicenseBackupHomeWithoutAPath() {
        homeProperty = folder.resolve("home").toString();

        new EmbeddedLicenseManagementService(context(), config()).close();

        assertTrue(Files.exists(folder.resolve("home").resolve(EmbeddedLicenseManagementService.DEFAULT_FILE_NAME)));
    }

    @Test
    void takesAvailabilityChangesLive() {
        EmbeddedLicenseManagementService service = new EmbeddedLicenseManagementService(context(), config());
        try {
            configuration.put("available", false);
            service.modified(config());

            assertThrows(LmsUnavailableException.class, () -> service.connect("device-a", KeyAgreement.generate().publicKey()));
        } finally {
            service.close();
        }
    }

    @Test
    void switchesToTheStateFileANewPathNames() {
        EmbeddedLicenseManagementService service = new EmbeddedLicenseManagementService(context(), config());
        try {
            byte[] firstKey = service.backupRecipientKey();
            configuration.put("path", folder.resolve("other.db").toString());
            service.modified(config());

            assertTrue(Files.exists(folder.resolve("other.db")));
            assertFalse(Arrays.equals(firstKey, service.backupRecipientKey()));
        } finally {
            service.close();
        }
    }

    @Test
    void refusesAMalformedTrustedIssuerKey() {
        configuration.put("trusted_issuer_keys", new String[] {"AAAA"});

        assertThrows(IllegalArgumentException.class, () -> new EmbeddedLicenseManagementService(context(), config()));
    }
}
