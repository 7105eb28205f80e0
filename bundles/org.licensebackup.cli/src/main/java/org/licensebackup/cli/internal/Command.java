package org.licensebackup.cli.internal;

import java.nio.file.Path;

/** One command of the command line, parsed. */
sealed interface Command {

    String USAGE = "usage: backup DIR [--overwrite] | restore DIR [--rebind] | verify DIR | list"
            + " | release KEY-ID... | connect URL [SERVER-KEY] | issue COUNT --issuer FILE"
            + " | store embedded | store postgres JDBC-URL [--database-user USER] [--database-password-file FILE]"
            + " | server [--host HOST] [--port PORT] [--device-limit N] [--trust KEY|@FILE]... [--support-url URL] [--info FILE]"
            + " [--database JDBC-URL [--database-user USER] [--database-password-file FILE]]"
            + " | help";

    /**
     * Points this host at a license management server, for this run and the next ones.
     *
     * @param serverKey the server's Ed25519 key (base64) to pin; empty: the key the server shows first is kept
     */
    record Connect(String url, java.util.Optional<String> serverKey) implements Command {
    }

    /**
     * Puts test licenses into the store: {@code count} licenses of every kind a host meets, bound to
     * this device and signed by the issuer whose key is in {@code issuerKeyFile} (made if missing).
     */
    record Issue(int count, Path issuerKeyFile) implements Command {
    }

    /**
     * Makes this host keep its licenses in a PostgreSQL database from now on, or, with none, in the
     * embedded store again.
     */
    record UseStore(java.util.Optional<DatabaseSettings> postgres) implements Command {
    }

    /** Runs the license management server in this framework until the process is stopped. */
    record Server(ServerSettings settings) implements Command {
    }

    record Backup(Path directory, boolean overwrite) implements Command {
    }

    /** @param rebindConsent the user's consent that licenses from another device are re-bound to this one */
    record Restore(Path directory, boolean rebindConsent) implements Command {
    }

    /** Checks the backup in a directory as a restore would, changing nothing. */
    record Verify(Path directory) implements Command {
    }

    /** Gives licenses back to the license management server and deletes them here. */
    record Release(java.util.List<String> keyIds) implements Command {

        public Release {
            keyIds = java.util.List.copyOf(keyIds);
        }
    }

    record ListLicenses() implements Command {
    }

    record Help() implements Command {
    }
}
