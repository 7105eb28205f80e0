package org.licensebackup.lms.client.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.licensebackup.datalocation.DataLocation;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.license.KeyId;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.RestoreSession;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.protocol.Messages;
import org.licensebackup.lms.protocol.RequestSignatures;
import org.licensebackup.lms.protocol.RequestSignatures.ByNonce;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The license management service of a remote license management server, over the signed HTTP
 * protocol. It registers only when configured with the server's {@code url}, ranking above the
 * server's in-process service. A new configuration replaces it.
 */
@Component(service = LicenseManagementService.class, configurationPid = HttpLicenseManagementClient.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Constants.SERVICE_RANKING + ":Integer=0")
@Designate(ocd = HttpLicenseManagementClient.Config.class)
public final class HttpLicenseManagementClient implements LicenseManagementService {

    public static final String PID = "org.licensebackup.lms.client";
    /** The file that keeps the server's trusted keys, in the data location when {@code trust.file} is not set. */
    public static final String DEFAULT_TRUST_FILE = "lms-server.keys";

    @ObjectClassDefinition(name = "License Backup: license management client",
            description = "Reaches a license management server over HTTP(S).")
    public @interface Config {

        @AttributeDefinition(description = "The server's base URL, e.g. https://lms.example.com:8480/ (required).")
        String url();

        @AttributeDefinition(name = "server.key", required = false,
                description = "The server's Ed25519 signing key in base64; every answer must verify with it. Empty: trust the key seen first.")
        String server_key() default "";

        @AttributeDefinition(name = "connect.timeout.ms", description = "How long to wait for a connection to the server.")
        long connect_timeout_ms() default 5_000;

        @AttributeDefinition(name = "request.timeout.ms", description = "How long to wait for an answer.")
        long request_timeout_ms() default 60_000;

        @AttributeDefinition(description = "How many times a request without an answer (or a 5xx one) is sent again.")
        int retries() default 3;

        @AttributeDefinition(name = "retry.backoff.ms", description = "The wait before the first retry, doubled before each next one.")
        long retry_backoff_ms() default 250;

        @AttributeDefinition(name = "tls.truststore", required = false,
                description = "A PKCS12 trust store with the certificate (or CA) of an HTTPS server that no public CA signed. Empty: the JDK's CAs.")
        String tls_truststore() default "";

        /** Private (a leading dot), so that it is not published among the service's properties. */
        @AttributeDefinition(name = ".tls.truststore.password", required = false, type = AttributeType.PASSWORD,
                description = "The password of tls.truststore.")
        String _tls_truststore_password() default "";

        @AttributeDefinition(name = "trust.file", required = false, description = "Where the server's keys are kept. Empty: "
                + DEFAULT_TRUST_FILE + " in " + DataLocation.HOME_DESCRIPTION + ".")
        String trust_file() default "";
    }

    private final ClientSettings settings;
    private final ServerTrust trust;
    private final SignedTransport transport;

    /**
     * Where failures the client recovers from are reported (see {@link RecoveredFailures}); optional,
     * so that the client works in a framework without a log service.
     */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    /**
     * @param context the bundle's context, or null outside OSGi (then {@code trust.file} must be set)
     * @throws IllegalArgumentException without a valid {@code url}, or with a bad {@code server.key}
     */
    @Activate
    public HttpLicenseManagementClient(BundleContext context, Config config) {
        this.settings = ClientSettings.of(config.url(), config.server_key(), config.connect_timeout_ms(), config.request_timeout_ms(),
                config.retries(), config.retry_backoff_ms(), config.tls_truststore(), config._tls_truststore_password());
        Path trustFile = DataLocation.resolve(context, config.trust_file(), DEFAULT_TRUST_FILE, PID);
        this.trust = new ServerTrust(trustFile, settings.serverKey());
        this.transport = new SignedTransport(settings, trust, this::logRecovered);
    }

    private void logRecovered(String what) {
        Logger log = logger;
        if (log != null) {
            log.warn("{}", what);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fetched from the server and authenticated; while the server cannot be reached, the keys it
     * last authenticated, so that backups go on.
     */
    @Override
    public ServiceKeys keys() {
        try {
            return transport.fetchKeys();
        } catch (LmsUnavailableException unreachable) {
            ServiceKeys known = trust.knownKeys().orElseThrow(() -> unreachable);
            logRecovered(unreachable.getMessage() + "; using the keys it last authenticated");
            return known;
        }
    }

    @Override
    public RestoreSession connect(DeviceIdentity device) {
        ServiceKeys keys = transport.fetchKeys();
        Messages.OpenSession open = new Messages.OpenSession(new Messages.DeviceKeys(device.signingPublicKey(), device.agreementPublicKey()));
        Messages.SessionOpened session = SignedTransport.decoded(byNonce(device, Endpoints.SESSIONS, open.encode()),
                Messages.SessionOpened::decode);
        return new HttpRestoreSession(transport, device, keys, session, this::logRecovered);
    }

    @Override
    public Set<KeyId> release(DeviceIdentity device, Collection<KeyId> keyIds) {
        ensureServerKnown();
        List<KeyId> all = new ArrayList<>(keyIds);
        Set<KeyId> released = new HashSet<>();
        for (int from = 0; from < all.size(); from += Limits.MAX_RELEASE_KEY_IDS) {
            List<KeyId> chunk = all.subList(from, Math.min(all.size(), from + Limits.MAX_RELEASE_KEY_IDS));
            Messages.ReleaseRequest request = new Messages.ReleaseRequest(
                    new Messages.DeviceKeys(device.signingPublicKey(), device.agreementPublicKey()), chunk);
            released.addAll(SignedTransport.decoded(byNonce(device, Endpoints.RELEASES, request.encode()), Messages.Released::decode).keyIds());
        }
        return released;
    }

    /** A nonce-signed request of {@code device}. */
    private byte[] byNonce(DeviceIdentity device, String path, byte[] body) {
        return transport.exchangeWithNonce(path, body,
                nonce -> RequestSignatures.sign("POST", path, body, device.deviceId(), new ByNonce(nonce), device::sign));
    }

    private void ensureServerKnown() {
        if (trust.pinnedKey().isEmpty()) {
            transport.fetchKeys();
        }
    }

    @Override
    public String toString() {
        return "HttpLicenseManagementClient[" + settings.server() + "]";
    }
}
