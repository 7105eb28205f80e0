package org.licensebackup.cli.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the {@code server} command configures the license management server; what is not given keeps
 * the server's configured value or its default.
 *
 * @param trustedIssuers base64 Ed25519 keys, or {@code @FILE} naming a file that holds one
 * @param infoFile where to write the server's URL and key once it listens, for scripts and tests
 * @param database a ledger that several servers share, instead of the embedded one
 */
record ServerSettings(Optional<String> host, OptionalInt port, OptionalInt deviceLimit, List<String> trustedIssuers,
        Optional<String> supportUrl, Optional<Path> infoFile, Optional<DatabaseSettings> database) {

    ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(deviceLimit, "deviceLimit");
        trustedIssuers = List.copyOf(trustedIssuers);
        Objects.requireNonNull(supportUrl, "supportUrl");
        Objects.requireNonNull(infoFile, "infoFile");
        Objects.requireNonNull(database, "database");
    }
}
