package org.licensebackup.cli.internal;

import java.nio.file.Path;

/** One command of the command line, parsed. */
sealed interface Command {

    String USAGE = "usage: demo | backup DIR [--overwrite] | restore DIR [--rebind] | verify DIR | list | help";

    /** Fills the store with signed licenses, backs them up, wipes the store, becomes a new device and restores. */
    record Demo() implements Command {
    }

    record Backup(Path directory, boolean overwrite) implements Command {
    }

    /** @param rebindConsent the user's consent that licenses from another device are re-bound to this one */
    record Restore(Path directory, boolean rebindConsent) implements Command {
    }

    /** Checks the backup in a directory as a restore would, changing nothing. */
    record Verify(Path directory) implements Command {
    }

    record ListLicenses() implements Command {
    }

    record Help() implements Command {
    }
}
