package org.licensebackup.cli.internal;

import java.util.List;

/** Runs a command that another bundle contributes. */
@FunctionalInterface
interface ContributedCommands {

    /**
     * Runs {@code name} with {@code args}, its output on the command line's output.
     *
     * @throws org.licensebackup.api.BackupRestoreException when the command failed (its code and one line)
     * @throws IllegalArgumentException when the command does not take {@code args}
     * @throws Exception whatever else went wrong
     */
    void run(String name, List<String> args) throws Exception;
}
