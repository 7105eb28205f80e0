package org.licensebackup.lms.client.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import java.util.Optional;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.lms.LicenseManagementService;
import org.licensebackup.options.PublicKeys;
import org.licensebackup.revisions.ConfigurationRevisions;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code license:connect URL [SERVER-KEY]}: points this bundle's client at a license management
 * server (its own PID, over what the configuration held), waits until the client that update made
 * serves, and says so; when it does not come, the configuration is put back as it was. A Gogo
 * command, which the launcher's command line runs as {@code connect} and a Gogo or Karaf console
 * runs as it is. Configuration Admin keeps the configuration, so the server named holds for the
 * next runs too.
 */
@Component(service = ConnectCommand.class, property = {"osgi.command.scope=license", "osgi.command.function=connect"})
public final class ConnectCommand {

    /** A client reads its state and its trusted keys: longer than a lookup. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** What the command line asks for. */
    record Target(String url, Optional<String> serverKey) {

        /**
         * @throws IllegalArgumentException when {@code args} are not a URL and, optionally, a key
         */
        static Target parse(String... args) {
            if (args == null || args.length == 0 || args.length > 2) {
                throw new IllegalArgumentException("connect needs the server's URL and, optionally, its key");
            }
            String url = Objects.requireNonNull(args[0], "url");
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("connect: the server's URL starts with http:// or https://, not " + url);
            }
            try {
                if (new URI(url).getHost() == null) {
                    throw new IllegalArgumentException("connect: the server's URL names no host: " + url);
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("connect: not a URL: " + url + " (" + e.getReason() + ")");
            }
            // one spelling wherever a key is printed or kept: standard base64 (URL-safe is taken too)
            Optional<String> key = args.length == 2
                    ? Optional.of(PublicKeys.format(PublicKeys.parse("connect: the server's key", args[1])))
                    : Optional.empty();
            return new Target(url, key);
        }
    }

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;

    @Activate
    public ConnectCommand(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this.context = Objects.requireNonNull(context, "context");
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
    }

    /**
     * @throws IllegalArgumentException for arguments this does not take: exit 2 on the command line
     * @throws BackupRestoreException when the client does not start (RESTORE_SERVICE_UNAVAILABLE,
     *     with the log under --verbose), or Configuration Admin cannot keep its configuration (IO_ERROR)
     */
    public void connect(String... args) {
        Target target = Target.parse(args);
        Dictionary<String, Object> given = new Hashtable<>();
        given.put("url", target.url());
        given.put("server.key", target.serverKey().orElse(""));
        try {
            Configuration configuration = configurationAdmin.getConfiguration(HttpLicenseManagementClient.PID, ConfigurationRevisions.ANY_BUNDLE);
            ConfigurationRevisions.updateAndAwait(context, configuration, given, LicenseManagementService.class.getName(), PATIENCE,
                    "the license management client for " + target.url(), service -> service);
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "cannot keep the client's configuration: " + e.getMessage(), e);
        }
        // read when the command runs: Gogo points System.out at the session of the thread that runs a command
        PrintStream print = System.out;
        print.println("this host now uses the license management server at " + target.url()
                + target.serverKey().map(key -> ", whose key must be " + key).orElse(""));
        print.flush();
    }
}
