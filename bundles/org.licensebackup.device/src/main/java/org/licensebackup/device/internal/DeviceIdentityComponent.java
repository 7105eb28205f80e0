package org.licensebackup.device.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.licensebackup.license.Usage;
import org.licensebackup.datalocation.DataLocation;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * This device's identity and its record, kept in a key file made on first activation and a record
 * beside it ({@link KeptRecord}). Pointing {@code path} at another file makes it another device,
 * without restarting the component. Immediate, so that whether it serves, and why not, is known at
 * once ({@link DeviceReadiness}), not only once something uses it.
 */
@Component(service = {DeviceIdentity.class, DeviceRecord.class}, configurationPid = DeviceIdentityComponent.PID,
        immediate = true)
@Designate(ocd = DeviceIdentityComponent.Config.class)
public final class DeviceIdentityComponent implements DeviceIdentity, DeviceRecord {

    static final String PID = "org.licensebackup.device";
    static final String DEFAULT_FILE_NAME = "device.key";

    @ObjectClassDefinition(name = "License Backup device identity",
            description = "The keys that licenses are bound to and that sign this device's backups.")
    public @interface Config {

        @AttributeDefinition(name = "Key file", description = "The file of the device's keys; when empty, "
                + DEFAULT_FILE_NAME + " in " + DataLocation.HOME_DESCRIPTION + ". Another file is another device.")
        String path() default "";
    }

    /** The keys and record and the key file they came from, swapped together. */
    private record Loaded(Path file, KeptRecord home) {
        DeviceKeys keys() {
            return home.keys();
        }
    }

    private final BundleContext context;
    private final DeviceReadiness readiness;
    private volatile Loaded current;

    /**
     * @throws KeyFileException when the key file is malformed, cannot be read or written, or is missing
     *     where the home's record says it had one
     * @throws org.licensebackup.device.DeviceRecordException when the record is damaged, another
     *     device's, or missing where the key file says it keeps one
     */
    @Activate
    public DeviceIdentityComponent(BundleContext context, Config config, @Reference DeviceReadiness readiness) {
        this.context = context;
        this.readiness = readiness;
        current = open(keyFile(context, config.path()));
    }

    /** A new file that does not open leaves the one before serving, and says why it did not. */
    @Modified
    void modified(Config config) {
        Path file = keyFile(context, config.path());
        if (!file.equals(current.file())) {
            current = open(file);
        }
    }

    private Loaded open(Path file) {
        Loaded loaded;
        try {
            loaded = new Loaded(file, KeptRecord.open(file));
        } catch (RuntimeException e) {
            readiness.failed(file, e);
            throw e;
        }
        readiness.opened(file);
        return loaded;
    }

    static Path keyFile(BundleContext context, String configuredPath) {
        return DataLocation.resolve(context, configuredPath, DEFAULT_FILE_NAME, PID);
    }

    /** The key file this identity was loaded from. */
    Path file() {
        return current.file();
    }

    @Override
    public String deviceId() {
        return current.keys().deviceId();
    }

    @Override
    public byte[] agreementPublicKey() {
        return current.keys().agreementPublicKey();
    }

    @Override
    public byte[] signingPublicKey() {
        return current.keys().signingPublicKey();
    }

    @Override
    public byte[] sign(byte[] message) {
        return current.keys().sign(message);
    }

    @Override
    public byte[] escrowAgreementKey(byte[] serviceKey) {
        return current.keys().escrowAgreementKey(serviceKey);
    }

    @Override
    public byte[] unwrapContentKey(byte[] wrappedContentKey, byte[] keyId) {
        return current.keys().unwrapContentKey(wrappedContentKey, keyId);
    }

    @Override
    public byte[] unwrapFileKey(byte[] wrappedFileKey, byte[] context) {
        return current.keys().unwrapFileKey(wrappedFileKey, context);
    }

    @Override
    public Optional<Instant> releasedAt(License license) {
        return current.home().releasedAt(license);
    }

    @Override
    public Usage usageSeen(KeyId keyId) {
        return current.home().usageSeen(keyId);
    }

    @Override
    public Optional<StoreMark> lastStore() {
        return current.home().lastStore();
    }

    @Override
    public Change change() {
        return current.home().change();
    }
}
