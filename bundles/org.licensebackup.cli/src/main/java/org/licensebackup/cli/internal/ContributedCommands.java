package org.licensebackup.cli.internal;

import java.util.List;
import java.util.Optional;

/** Runs a command that another bundle contributes. */
@FunctionalInterface
interface ContributedCommands {

    /**
     * Runs {@code name} with {@code args}, its output on the command line's output.
     *
     * @return what the command answered, as a console would print it (a listing, say); empty when
     *     it answered nothing, having printed what it had to say
     *
     * @throws org.licensebackup.api.BackupRestoreException when the command failed (its code and one line)
     * @throws IllegalArgumentException when the command does not take {@code args}
     * @throws Exception whatever else went wrong
     */
    Optional<String> run(String name, List<String> args) throws Exception;
}
