package org.licensebackup.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.license.Usage;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreTransaction;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The demo: fills the store with signed licenses bound to this device, backs them up, wipes the store
 * and becomes a new device as a reinstalled host would, restores, and sums up.
 */
final class DemoRun {

    static final int LICENSES = 10_000;
    static final int BATCH = 1_000;
    static final String LMS_PID = "org.licensebackup.lms.embedded";
    static final String TRUSTED_ISSUER_KEYS = "trusted.issuer.keys";
    static final String DEVICE_PID = "org.licensebackup.device";
    static final String DEVICE_PATH = "path";
    /** Visible to every bundle: a configuration bound to this bundle would never reach the LMS or the device bundle. */
    private static final String ANY_BUNDLE = "?";
    private static final Duration DEVICE_CHANGE_PATIENCE = Duration.ofSeconds(10);
    private static final int MAX_LISTED = 5;
    private static final List<String> TITLES = List.of("Night Train", "The Quiet Harbor", "Paper Moons",
            "Glass Orchard", "North of Nowhere", "Saltwater Letters", "The Last Lighthouse", "Copper Sky");

    private final Services services;
    private final ProgressDisplay display;
    private final PrintStream out;
    private final Path home;

    /** @param home where the new device's key goes, or null for the system's temporary directory */
    DemoRun(Services services, ProgressDisplay display, PrintStream out, Path home) {
        this.services = Objects.requireNonNull(services, "services");
        this.display = Objects.requireNonNull(display, "display");
        this.out = Objects.requireNonNull(out, "out");
        this.home = home;
    }

    int run() throws IOException {
        long demoStarted = System.nanoTime();
        DeviceIdentity device = services.device().get();
        String deviceBefore = device.deviceId();
        out.println("device " + deviceBefore);

        Issuer issuer = Issuer.generate("License Backup demo issuer");
        trust(issuer);
        out.println("issuing " + Formats.count(LICENSES) + " licenses bound to this device");
        long started = System.nanoTime();
        List<LicenseSpec> specs = specs(Instant.now());
        List<License> licenses = issue(issuer, specs, device);
        Duration issuing = since(started);
        out.println("  " + describe(specs) + "; took " + Formats.duration(issuing));

        started = System.nanoTime();
        LicenseStore store = services.store().get();
        write(store, licenses);
        Duration storing = since(started);
        out.println("  stored in " + Formats.duration(storing) + " (batches of " + Formats.count(BATCH)
                + " in one transaction); the store holds " + Formats.count(store.count()));

        Path backupDirectory = Files.createTempDirectory("licensebackup-demo-backup-");
        try {
            out.println("backing up to " + backupDirectory);
            Report backup = display.follow(services.restorer().get().backup(backupDirectory, BackupOptions.defaults()),
                    "backup");
            Reports.print(backup, out, MAX_LISTED);

            out.println("wiping the store and becoming a new device, as a reinstalled host would");
            started = System.nanoTime();
            long deleted = deleteAll(services.store().get());
            Duration wiping = since(started);
            started = System.nanoTime();
            String deviceAfter = becomeNewDevice(deviceBefore);
            Duration switching = since(started);
            out.println("  deleted " + Formats.count(deleted) + " licenses in " + Formats.duration(wiping)
                    + "; new device " + deviceAfter + " in " + Formats.duration(switching));

            out.println("restoring, with consent to re-bind the licenses to this device");
            Report restore = display.follow(
                    services.restorer().get().restore(backupDirectory, RestoreOptions.withRebindConsent()), "restore");
            Reports.print(restore, out, MAX_LISTED);
            long inStore = services.store().get().count();

            out.println();
            out.println("summary");
            row("licenses issued", Formats.count(LICENSES));
            row("backed up", Formats.count(backup.succeeded()));
            row("excluded", Reports.leftOut(backup));
            row("restored", Formats.count(restore.succeeded()));
            row("rejected", Reports.leftOut(restore));
            row("in the store now", Formats.count(inStore));
            row("device before", deviceBefore);
            row("device after", deviceAfter);
            row("backup file size", Formats.size(backup.bytes()));
            row("times", "issue " + Formats.duration(issuing) + ", store " + Formats.duration(storing)
                    + ", backup " + Formats.duration(backup.elapsed()) + ", wipe " + Formats.duration(wiping)
                    + ", new device " + Formats.duration(switching) + ", restore " + Formats.duration(restore.elapsed())
                    + ", demo in all " + Formats.duration(since(demoStarted)));
            if (restore.succeeded() != backup.succeeded() || inStore != backup.succeeded()) {
                throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "the demo backed up "
                        + backup.succeeded() + " licenses but restored " + restore.succeeded() + " and the store holds "
                        + inStore);
            }
            return CommandLine.OK;
        } finally {
            deleteQuietly(backupDirectory);
        }
    }

    /**
     * Licenses of every kind a host meets: most with the backup right (a quarter of those with counted
     * plays, some already used), one in ten without it, one in twenty expired.
     */
    static List<LicenseSpec> specs(Instant now) {
        List<LicenseSpec> specs = new ArrayList<>(LICENSES);
        for (int i = 0; i < LICENSES; i++) {
            String title = TITLES.get(i % TITLES.size()) + " " + (i / TITLES.size() + 1);
            Rights backupAllowed = Rights.unlimited().withBackupAllowed(true);
            LicenseSpec spec;
            if (i % 20 == 0) {
                spec = LicenseSpec.of(title, backupAllowed.withNotAfter(now.minus(Duration.ofDays(1 + i % 365))));
            } else if (i % 10 == 1) {
                spec = LicenseSpec.of(title, Rights.unlimited());
            } else if (i % 4 == 2) {
                int playsUsed = i % 7;
                Usage usage = playsUsed == 0 ? Usage.NONE
                        : new Usage(playsUsed, 0, now.minus(Duration.ofDays(1 + i % 30)));
                spec = LicenseSpec.of(title, backupAllowed.withPlayCount(10)).withUsage(usage);
            } else {
                spec = LicenseSpec.of(title, backupAllowed);
            }
            specs.add(spec);
        }
        return specs;
    }

    /** "10,000 licenses: 8,500 with the backup right (2,500 with counted plays), 1,000 without, 500 expired". */
    static String describe(List<LicenseSpec> specs) {
        long expired = specs.stream().filter(spec -> spec.rights().notAfter() != null).count();
        long withoutBackupRight = specs.stream().filter(spec -> !spec.rights().backupAllowed()).count();
        long counted = specs.stream().filter(spec -> spec.rights().playCount() != null).count();
        return "issued " + Formats.count(specs.size()) + " licenses: "
                + Formats.count(specs.size() - expired - withoutBackupRight) + " with the backup right ("
                + Formats.count(counted) + " with counted plays), " + Formats.count(withoutBackupRight) + " without, "
                + Formats.count(expired) + " expired";
    }

    /** Signing and wrapping dominate, and the issuer is thread-safe: every core helps. */
    private static List<License> issue(Issuer issuer, List<LicenseSpec> specs, DeviceIdentity device) {
        String deviceId = device.deviceId();
        byte[] agreementKey = device.agreementPublicKey();
        return specs.parallelStream().map(spec -> issuer.issue(spec, deviceId, agreementKey)).toList();
    }

    private static void write(LicenseStore store, List<License> licenses) {
        try (StoreTransaction transaction = store.begin()) {
            for (int from = 0; from < licenses.size(); from += BATCH) {
                transaction.put(licenses.subList(from, Math.min(licenses.size(), from + BATCH)));
            }
            transaction.commit();
        }
    }

    private static long deleteAll(LicenseStore store) {
        List<KeyId> keyIds;
        try (Stream<License> licenses = store.licenses()) {
            keyIds = licenses.map(License::keyId).toList();
        }
        try (StoreTransaction transaction = store.begin()) {
            for (int from = 0; from < keyIds.size(); from += BATCH) {
                transaction.delete(keyIds.subList(from, Math.min(keyIds.size(), from + BATCH)));
            }
            transaction.commit();
        }
        return keyIds.size();
    }

    /** Makes the license management service accept the issuer's licenses, keeping whatever else it is configured with. */
    private void trust(Issuer issuer) throws IOException {
        Configuration configuration = services.configurationAdmin().get().getConfiguration(LMS_PID, ANY_BUNDLE);
        Dictionary<String, Object> properties = propertiesOf(configuration);
        Set<String> keys = new LinkedHashSet<>(strings(properties.get(TRUSTED_ISSUER_KEYS)));
        keys.add(Base64.getEncoder().encodeToString(issuer.publicKey()));
        properties.put(TRUSTED_ISSUER_KEYS, keys.toArray(String[]::new));
        configuration.update(properties);
    }

    /** Moves the device's key to a fresh directory, so that the device identity makes a new key there. */
    private String becomeNewDevice(String deviceBefore) throws IOException {
        Path keyDirectory = home == null
                ? Files.createTempDirectory("licensebackup-demo-device-")
                : Files.createTempDirectory(Files.createDirectories(home), "demo-device-");
        Configuration configuration = services.configurationAdmin().get().getConfiguration(DEVICE_PID, ANY_BUNDLE);
        Dictionary<String, Object> properties = propertiesOf(configuration);
        properties.put(DEVICE_PATH, keyDirectory.resolve("device.key").toString());
        configuration.update(properties);
        long deadline = System.nanoTime() + DEVICE_CHANGE_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String deviceId = services.device().get().deviceId();
            if (!deviceId.equals(deviceBefore)) {
                return deviceId;
            }
            pause();
        }
        throw new BackupRestoreException(ErrorCode.INTERNAL_ERROR, "the device ID did not change within "
                + DEVICE_CHANGE_PATIENCE.toSeconds() + " s of configuring " + DEVICE_PID + " with a new key file");
    }

    private static Dictionary<String, Object> propertiesOf(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        return properties == null ? new Hashtable<>() : properties;
    }

    /** A multi-valued configuration property as Configuration Admin may hand it back: an array, a collection or one string. */
    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupRestoreException(ErrorCode.CANCELLED, "interrupted while waiting for the new device");
        }
    }

    private void row(String name, String value) {
        out.println(String.format("  %-18s %s", name, value));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The demo's backup is of no use afterwards; failing to delete it must not hide how the demo went. */
    private void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            out.println("warning: could not delete " + directory + ": " + e);
        }
    }
}
