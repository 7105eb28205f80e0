package org.licensebackup.cli.internal;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the command line's commands use, each looked up when a command needs it.
 *
 * @param contributed runs the commands other bundles contribute ({@code license:NAME} in Gogo)
 * @param hostSetup configures this host's license management client and store
 * @param untilStopped returns when the framework stops: a server runs until then
 */
record Services(
        ContributedCommands contributed,
        Supplier<HostSetup> hostSetup,
        Runnable untilStopped) {

    Services {
        Objects.requireNonNull(contributed, "contributed");
        Objects.requireNonNull(hostSetup, "hostSetup");
        Objects.requireNonNull(untilStopped, "untilStopped");
    }
}
