package org.licensebackup.cli.internal;

/** One command of the command line, parsed. */
sealed interface Command {

    /**
     * The commands that other bundles contribute as Gogo commands ({@code license:NAME}): the
     * operator's, the issuer tool's, the license client's {@code connect} and the PostgreSQL
     * store's {@code store}, each of which configures its own bundle.
     */
    java.util.Set<String> CONTRIBUTED = java.util.Set.of("backup", "restore", "verify", "list", "status", "release", "issue",
            "backups", "safetybackup", "clean", "schedules", "runschedule", "newdevice", "connect", "store", "operator");
    /** The license server bundle's {@code license:server}, after which the command line keeps running. */
    String SERVER = "server";

    String USAGE = "usage: backup DIR [--overwrite] | restore DIR [--rebind] | verify DIR"
            + " | list [--title TEXT] [--key-id PREFIX] [--rights RIGHT]... | status | release KEY-ID..."
            + " | backups DIR | safetybackup | clean | schedules | runschedule NAME | newdevice"
            + " | connect URL [SERVER-KEY] | issue COUNT --issuer FILE"
            + " | store embedded | store postgres JDBC-URL [--database-user USER] [--database-password-file FILE]"
            + " | server [--host HOST] [--port PORT] [--device-limit N] [--trust KEY|@FILE]... [--support-url URL] [--info FILE]"
            + " [--database JDBC-URL [--database-user USER] [--database-password-file FILE]]"
            + " [--operator-host HOST] [--operator-port PORT] [--operators FILE]"
            + " | operator add FILE NAME [--password-file FILE]"
            + " | help";

    /**
     * A command another bundle contributes as the Gogo command {@code license:NAME}, which this
     * command line runs through Gogo's command processor with the arguments as they are.
     */
    record Contributed(String name, java.util.List<String> args) implements Command {

        public Contributed {
            args = java.util.List.copyOf(args);
        }
    }

    /**
     * Runs the license management server in this framework until the process is stopped: the
     * license server bundle's Gogo command {@code license:server} configures and starts it, with the
     * arguments as they are; then the command line keeps the process running.
     */
    record Server(java.util.List<String> args) implements Command {

        public Server {
            args = java.util.List.copyOf(args);
        }
    }

    record Help() implements Command {
    }
}
