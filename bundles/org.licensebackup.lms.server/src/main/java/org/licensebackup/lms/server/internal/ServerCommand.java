package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.lms.server.LicenseServer;
import org.licensebackup.options.PublicKeys;
import org.licensebackup.revisions.ConfigurationRevisions;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code license:server [OPTIONS]}: configures this bundle's license server (its PID, over what the
 * configuration held), waits until the server that configuration started listens, prints its URL
 * and key, writes them to the {@code --info} file if asked, and returns; the server runs on until
 * its configuration is deleted or the framework stops. A Gogo command, which the launcher's command
 * line runs as {@code server} (and then keeps the process running) and a Gogo or Karaf console runs
 * as it is. A failure is a {@link BackupRestoreException}, a command line this does not take an
 * {@link IllegalArgumentException}, as Gogo reports arguments it cannot take.
 *
 * <p>Configuration Admin keeps the configuration (the launcher keeps its files in the host's
 * home), so the options given hold for the next runs too.
 */
@Component(service = ServerCommand.class, property = {"osgi.command.scope=license", "osgi.command.function=server"})
public final class ServerCommand {

    /**
     * The configuration property that marks one update of this command's: Declarative Services
     * copies it into the server's service properties, so waiting for the mark, not for any server,
     * sees the server as this update left it, not as the configuration kept from the last run
     * started it a moment earlier.
     */
    static final String REVISION = ConfigurationRevisions.PROPERTY;
    /** A server opens its database and its port: longer than a lookup. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** Where a configured server is found once it listens. */
    @FunctionalInterface
    interface ServerLookup {

        /**
         * The server that the update marked {@code revision} started, read once it listens.
         *
         * @throws IllegalArgumentException for a configuration value it cannot take
         * @throws BackupRestoreException why it did not start, as soon as it is known
         */
        Listening await(String revision);
    }

    /** Where the server listens and its signing key (base64), the two things devices need. */
    record Listening(String uri, String key, java.util.Optional<String> operatorUri) {

        Listening(String uri, String key) {
            this(uri, key, java.util.Optional.empty());
        }

        static Listening of(LicenseServer server) {
            java.util.Optional<String> operator = server instanceof LicenseServerComponent component
                    ? component.operatorUri().map(Object::toString) : java.util.Optional.empty();
            return new Listening(server.uri().toString(), PublicKeys.format(server.keys().signingKey()), operator);
        }
    }

    private final ConfigurationAdmin configurationAdmin;
    private final ServerLookup lookup;
    private final Supplier<PrintStream> out;

    @Activate
    public ServerCommand(@Reference ConfigurationAdmin configurationAdmin) {
        // System.out when the command runs: Gogo points it at the session of the thread that runs a command.
        this(configurationAdmin, ServerCommand::await, () -> System.out);
    }

    ServerCommand(ConfigurationAdmin configurationAdmin, ServerLookup lookup, Supplier<PrintStream> out) {
        this.configurationAdmin = Objects.requireNonNull(configurationAdmin, "configurationAdmin");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * @throws IllegalArgumentException for an option it does not take, or a value no server can
     *     (a key that is not base64 of 32 bytes, a database no installed driver serves): exit 2
     * @throws BackupRestoreException when the server does not start, saying why as soon as it is
     *     known (IO_ERROR: the port is taken, the host is not this machine's, the database does not
     *     answer, a file named is missing): exit 1; the configuration is then as it was
     */
    public void server(String... args) {
        ServerOptions options = ServerOptions.parse(args);
        Listening listening;
        try {
            // The files named are read before Configuration Admin is asked: it keeps a configuration it was asked for.
            Dictionary<String, Object> given = new Hashtable<>();
            options.putInto(given);
            Configuration configuration = configurationAdmin.getConfiguration(LicenseServerComponent.PID, ConfigurationRevisions.ANY_BUNDLE);
            Dictionary<String, Object> before = configuration.getProperties();
            Dictionary<String, Object> properties = ConfigurationRevisions.merged(before, given);
            String revision = ConfigurationRevisions.newRevision();
            ServerStarts.expect(revision);
            try {
                ConfigurationRevisions.update(configuration, properties, revision);
                listening = lookup.await(revision);
            } catch (RuntimeException e) {
                ConfigurationRevisions.putBack(configuration, before);
                throw e;
            } finally {
                ServerStarts.forget(revision);
            }
            if (options.infoFile().isPresent()) {
                writeInfo(options.infoFile().get(), listening);
            }
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, e.getMessage(), e);
        }
        PrintStream print = out.get();
        print.println("license management server listening at " + listening.uri());
        print.println("its key (give it to devices: connect URL KEY): " + listening.key());
        listening.operatorUri().ifPresent(operator -> print.println("health, metrics and support console (for operators): " + operator));
        print.flush();
    }

    /** Written whole under another name, then moved, so that a reader never sees half of it. */
    static void writeInfo(Path file, Listening listening) throws IOException {
        Properties info = new Properties();
        info.setProperty("url", listening.uri());
        info.setProperty("key", listening.key());
        listening.operatorUri().ifPresent(operator -> info.setProperty("operator.url", operator));
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try (Writer writer = Files.newBufferedWriter(partial, StandardCharsets.ISO_8859_1)) {
            info.store(writer, "License management server");
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Listening await(String revision) {
        return Listening.of(ServerStarts.await(revision, PATIENCE));
    }
}
