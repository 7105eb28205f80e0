package org.licensebackup.cli.internal;

import java.util.Objects;

/**
 * What the command line's commands use, each looked up when a command needs it.
 *
 * @param contributed runs the commands other bundles contribute ({@code license:NAME} in Gogo)
 * @param untilStopped returns when the framework stops: a server runs until then
 */
record Services(
        ContributedCommands contributed,
        Runnable untilStopped) {

    Services {
        Objects.requireNonNull(contributed, "contributed");
        Objects.requireNonNull(untilStopped, "untilStopped");
    }
}
