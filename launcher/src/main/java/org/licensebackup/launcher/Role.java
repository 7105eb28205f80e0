package org.licensebackup.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run of the launcher is: a device (a media host's command line, the default), a device that
 * keeps its licenses in PostgreSQL, or the license management server. The bundle directory holds
 * the bundles of all; each run installs only its own, so a device runs no web server, a server keeps
 * no license store, and only a device on PostgreSQL pays for what its connection pool needs.
 */
enum Role {

    // A device runs the log service too (org.apache.felix.log): the events adapter, the restorer and
    // the license management client report through the OSGi Logger what they recover from or fail
    // at, and Felix SCR writes what it catches there instead of on the console (shown with --verbose).
    DEVICE(List.of("org.licensebackup.lms.server", "org.eclipse.jetty.", "slf4j.", "org.apache.aries.spifly.",
            "org.objectweb.asm", "org.objectweb.asm.", "org.licensebackup.store.postgres",
            "com.zaxxer.HikariCP", "org.postgresql.jdbc", "org.osgi.service.jdbc")),
    /** HikariCP logs through slf4j 2, which needs SPI Fly (and ASM) in OSGi: more to start than a device needs otherwise. */
    DEVICE_ON_POSTGRES(List.of("org.licensebackup.lms.server", "org.eclipse.jetty.")),
    /** A server runs no operator's commands and no scheduled backups: they back up and restore a device's store. */
    SERVER(List.of("org.licensebackup.restorer", "org.licensebackup.store.embedded", "org.xerial.sqlite-jdbc",
            "org.licensebackup.store.postgres", "org.licensebackup.lms.client", "org.licensebackup.shell",
            "org.licensebackup.schedule"));

    /** The command that runs the server; every other command runs on a device. */
    static final String SERVER_COMMAND = "server";
    /** The license server bundle's {@code license:operator}, which adds a support console operator: it runs as a server runs. */
    static final String OPERATOR_COMMAND = "operator";
    /** The command that moves a device's licenses to PostgreSQL ({@code store postgres URL}) or back. */
    static final String STORE_COMMAND = "store";
    /**
     * Where Felix Configuration Admin keeps the configuration of the PostgreSQL store (PID
     * {@code org.licensebackup.store.postgres}) in the configuration folder: a device has one once
     * it keeps its licenses there.
     */
    static final Path POSTGRES_STORE_CONFIGURATION = Path.of("org", "licensebackup", "store", "postgres.config");

    /** Symbolic names, or their beginnings when they end in '.', of the bundles this role leaves out. */
    private final List<String> leftOut;

    Role(List<String> leftOut) {
        this.leftOut = leftOut;
    }

    /** @param configurationFolder where Configuration Admin keeps this home's configurations */
    static Role of(List<String> command, Path configurationFolder) {
        if (command.get(0).equals(SERVER_COMMAND) || command.get(0).equals(OPERATOR_COMMAND)) {
            return SERVER;
        }
        boolean toPostgres = command.get(0).equals(STORE_COMMAND) && command.size() > 1 && command.get(1).equals("postgres");
        return toPostgres || Files.exists(configurationFolder.resolve(POSTGRES_STORE_CONFIGURATION)) ? DEVICE_ON_POSTGRES : DEVICE;
    }

    boolean installs(String symbolicName) {
        return leftOut.stream().noneMatch(name -> name.endsWith(".") ? symbolicName.startsWith(name)
                : symbolicName.equals(name));
    }
}
