package org.licensebackup.launcher;

import java.util.List;

/**
 * What a run of the launcher is: a device (a media host's command line, the default) or the license
 * management server. The bundle directory holds the bundles of both; each run installs only its
 * own, so a device runs no web server and a server keeps no license store.
 */
enum Role {

    /**
     * A device keeps the Log Service (org.apache.felix.log): Felix SCR writes what it catches there
     * instead of on the console, and the command line shows it only with {@code --verbose}.
     */
    DEVICE(List.of("org.licensebackup.lms.server", "org.eclipse.jetty.", "slf4j.", "org.apache.aries.spifly.",
            "org.objectweb.asm", "org.objectweb.asm.")),
    SERVER(List.of("org.licensebackup.restorer", "org.licensebackup.store.embedded", "org.licensebackup.lms.client"));

    /** The command that runs the server; every other command runs on a device. */
    static final String SERVER_COMMAND = "server";

    /** Symbolic names, or their beginnings when they end in '.', of the bundles this role leaves out. */
    private final List<String> leftOut;

    Role(List<String> leftOut) {
        this.leftOut = leftOut;
    }

    static Role of(List<String> command) {
        return command.get(0).equals(SERVER_COMMAND) ? SERVER : DEVICE;
    }

    boolean installs(String symbolicName) {
        return leftOut.stream().noneMatch(name -> name.endsWith(".") ? symbolicName.startsWith(name)
                : symbolicName.equals(name));
    }
}
