package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.licensebackup.options.DatabaseOptions;
import org.licensebackup.options.DatabaseSettings;
import org.licensebackup.options.Options;
import org.licensebackup.options.PublicKeys;

/**
 * What {@code license:server} was asked, {@value #USAGE}; what is not given keeps the server's
 * configured value or its default.
 *
 * @param trustedIssuers base64 Ed25519 keys, or {@code @FILE} naming a file that holds one
 * @param infoFile where to write the server's URL and key once it listens, for scripts and tests
 * @param database a ledger that several servers share, instead of the embedded one
 */
record ServerOptions(Optional<String> host, OptionalInt port, OptionalInt deviceLimit, List<String> trustedIssuers,
        Optional<String> supportUrl, Optional<Path> infoFile, Optional<DatabaseSettings> database, OperatorOptions operator) {

    /** The operator's listener: its address and port, and the support console's operators file. */
    record OperatorOptions(Optional<String> host, OptionalInt port, Optional<Path> operatorsFile) {

        static final OperatorOptions NONE = new OperatorOptions(Optional.empty(), OptionalInt.empty(), Optional.empty());
    }

    ServerOptions(Optional<String> host, OptionalInt port, OptionalInt deviceLimit, List<String> trustedIssuers,
            Optional<String> supportUrl, Optional<Path> infoFile, Optional<DatabaseSettings> database) {
        this(host, port, deviceLimit, trustedIssuers, supportUrl, infoFile, database, OperatorOptions.NONE);
    }

    static final String USAGE = "server [--host HOST] [--port PORT] [--device-limit N] [--trust KEY|@FILE]... [--support-url URL]"
            + " [--info FILE] [--database JDBC-URL [--database-user USER] [--database-password-file FILE]]"
            + " [--operator-host HOST] [--operator-port PORT] [--operators FILE]";
    private static final String NAME = "server";

    ServerOptions {
        trustedIssuers = List.copyOf(trustedIssuers);
    }

    /** @throws IllegalArgumentException when {@code args} are not {@value #USAGE}'s */
    static ServerOptions parse(String... args) {
        List<String> rest = List.of(args == null ? new String[0] : nonNull(args));
        Optional<String> host = Optional.empty();
        OptionalInt port = OptionalInt.empty();
        OptionalInt deviceLimit = OptionalInt.empty();
        List<String> trusted = new ArrayList<>();
        Optional<String> supportUrl = Optional.empty();
        Optional<Path> infoFile = Optional.empty();
        DatabaseOptions database = new DatabaseOptions(NAME);
        Optional<String> operatorHost = Optional.empty();
        OptionalInt operatorPort = OptionalInt.empty();
        Optional<Path> operatorsFile = Optional.empty();
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            String value = Options.valueAfter(NAME, rest, i++);
            switch (option) {
                case "--host" -> host = Optional.of(value);
                case "--port" -> port = OptionalInt.of(port(value));
                case "--device-limit" -> deviceLimit = OptionalInt.of(Options.positive(NAME + " --device-limit", value));
                case "--trust" -> trusted.add(trusted(value));
                case "--support-url" -> supportUrl = Optional.of(value);
                case "--info" -> infoFile = Optional.of(Options.path(NAME + " --info", value));
                case "--database" -> database.url(value);
                case "--operator-host" -> operatorHost = Optional.of(value);
                case "--operator-port" -> operatorPort = OptionalInt.of(port(value));
                case "--operators" -> operatorsFile = Optional.of(Options.path(NAME + " --operators", value));
                default -> {
                    if (!database.take(option, value)) {
                        throw new IllegalArgumentException(NAME + ": unknown option " + option);
                    }
                }
            }
        }
        return new ServerOptions(host, port, deviceLimit, trusted, supportUrl, infoFile, database.settings(),
                new OperatorOptions(operatorHost, operatorPort, operatorsFile));
    }

    /** A key as given, or {@code @FILE}, which is read when the options are put into the configuration. */
    private static String trusted(String value) {
        if (value.startsWith("@")) {
            Options.path(NAME + " --trust", value.substring(1));
            return value;
        }
        PublicKeys.parse(NAME + " --trust", value);
        return value;
    }

    /**
     * Puts what was given into the server's configuration, over what it held; a trusted key given
     * as {@code @FILE} and the database's password are read from their files here, and keys are put
     * in their one spelling (standard base64).
     *
     * @throws IOException saying in plain words which file is missing or unreadable
     * @throws IllegalArgumentException when a key file does not hold a key
     */
    void putInto(Dictionary<String, Object> properties) throws IOException {
        host.ifPresent(value -> properties.put("host", value));
        port.ifPresent(value -> properties.put("port", value));
        deviceLimit.ifPresent(value -> properties.put("device.limit", value));
        supportUrl.ifPresent(value -> properties.put("support.url", value));
        operator.host().ifPresent(value -> properties.put("operator.host", value));
        operator.port().ifPresent(value -> properties.put("operator.port", value));
        operator.operatorsFile().ifPresent(value -> properties.put("console.operators.file", value.toAbsolutePath().toString()));
        if (database.isPresent()) {
            database.get().putInto(properties);
        }
        if (!trustedIssuers.isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (String key : trustedIssuers) {
                String text = key.startsWith("@") ? Options.readText(NAME + " --trust", Path.of(key.substring(1))) : key;
                keys.add(PublicKeys.format(PublicKeys.parse(NAME + " --trust " + key, text)));
            }
            properties.put("trusted.issuer.keys", keys.toArray(String[]::new));
        }
    }

    private static String[] nonNull(String[] args) {
        for (String arg : args) {
            if (arg == null) {
                throw new IllegalArgumentException(NAME + ": the command line holds a null argument");
            }
        }
        return args;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with what was expected
        }
        throw new IllegalArgumentException(NAME + " --port: not a port (0 to 65535; 0 picks a free one): " + value);
    }
}
