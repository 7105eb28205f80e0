package org.licensebackup.lms.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.license.KeyId;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.datalocation.DataLocation;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The license management service that serves when a host registers none of its own: it ranks
 * lowest, so any host's service wins. It keeps its keys and each license's devices in an MVStore
 * file, allows each license on {@code device.limit} unique devices, and trusts the licenses of the
 * configured issuers and its own re-bound ones.
 */
@Component(
        service = LicenseManagementService.class,
        configurationPid = EmbeddedLicenseManagementService.PID,
        property = Constants.SERVICE_RANKING + ":Integer=" + Integer.MIN_VALUE)
@Designate(ocd = EmbeddedLicenseManagementService.Config.class)
public final class EmbeddedLicenseManagementService implements LicenseManagementService {

    public static final String PID = "org.licensebackup.lms.embedded";
    /** The state file's name in the data location when {@code path} is not set. */
    public static final String DEFAULT_FILE_NAME = "lms.mv.db";
    /** The framework property naming the folder that License Backup keeps its files in. */

    @ObjectClassDefinition(
            name = "License Backup: embedded license management service",
            description = "Authorizes restores when the host registers no license management service of its own.")
    public @interface Config {

        @AttributeDefinition(description = "The state file (keys and each license's devices). Empty: "
                + DEFAULT_FILE_NAME + " in ${" + DataLocation.HOME_PROPERTY + "}, else in the bundle's data area.")
        String path() default "";

        @AttributeDefinition(name = "device.limit", min = "1",
                description = "How many unique devices each license may be restored to; the same device again is free.")
        int device_limit() default LmsSettings.DEFAULT_DEVICE_LIMIT;

        @AttributeDefinition(name = "trusted.issuer.keys",
                description = "Base64 Ed25519 public keys of the issuers whose licenses are genuine.")
        String[] trusted_issuer_keys() default {};

        @AttributeDefinition(description = "False refuses every session, as an unreachable service would.")
        boolean available() default true;
    }

    private final BundleContext context;
    private final Clock clock;
    private volatile LmsState state;
    private volatile LmsSettings settings;

    @Activate
    public EmbeddedLicenseManagementService(BundleContext context, Config config) {
        this(context, stateFile(context, config), settingsOf(config), Clock.systemUTC());
    }

    /** A service outside OSGi, keeping its state in {@code stateFile}. */
    public EmbeddedLicenseManagementService(Path stateFile, LmsSettings settings, Clock clock) {
        this(null, stateFile, settings, clock);
    }

    private EmbeddedLicenseManagementService(BundleContext context, Path stateFile, LmsSettings settings, Clock clock) {
        this.context = context;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.state = LmsState.open(Objects.requireNonNull(stateFile, "stateFile"));
    }

    /** Takes new limit, trust and availability at once; a new {@code path} switches to that state file. */
    @Modified
    void modified(Config config) {
        update(settingsOf(config));
        Path stateFile = stateFile(context, config);
        if (!stateFile.toAbsolutePath().equals(state.path())) {
            LmsState previous = state;
            state = LmsState.open(stateFile);
            previous.close();
        }
    }

    /** Takes new settings; open sessions keep those they were opened with. */
    public void update(LmsSettings newSettings) {
        settings = Objects.requireNonNull(newSettings, "newSettings");
    }

    @Deactivate
    public void close() {
        state.close();
    }

    @Override
    public byte[] backupRecipientKey() {
        return state.agreementKeys().publicKey();
    }

    /** The Ed25519 public key that this service signs re-bound licenses with. */
    public byte[] signingKey() {
        return state.signingKeys().publicKey();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counts the devices this service knows the license to be on: none before its first restore,
     * after which the device it came from counts too. A device it is already on may always have it
     * again, whatever this returns.
     */
    @Override
    public int remainingAllowance(KeyId keyId, String deviceId) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(deviceId, "deviceId");
        return Math.max(0, settings.deviceLimit() - state.committedDeviceCount(keyId));
    }

    @Override
    public RestoreSession connect(String deviceId, byte[] deviceAgreementKey) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceAgreementKey, "deviceAgreementKey");
        if (deviceId.isEmpty()) {
            throw new IllegalArgumentException("a device ID cannot be empty");
        }
        if (deviceAgreementKey.length != KeyAgreement.KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key has " + KeyAgreement.KEY_LENGTH
                    + " bytes, not " + deviceAgreementKey.length);
        }
        LmsSettings current = settings;
        if (!current.available()) {
            throw new LmsUnavailableException("the embedded license management service is switched off (available=false)");
        }
        return new EmbeddedRestoreSession(state, current, deviceId, deviceAgreementKey, clock);
    }

    private static LmsSettings settingsOf(Config config) {
        return LmsSettings.of(config.device_limit(), config.trusted_issuer_keys(), config.available());
    }

    private static Path stateFile(BundleContext context, Config config) {
        return DataLocation.resolve(context, config.path(), DEFAULT_FILE_NAME, PID);
    }
}
