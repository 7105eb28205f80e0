package org.licensebackup.shell.internal;

import java.nio.file.Path;
import java.util.List;

import org.licensebackup.api.operator.LicenseQuery;

/** One of the operator's commands ({@code license:*}), parsed. */
sealed interface OperatorCommand {

    record Backup(Path directory, boolean overwrite) implements OperatorCommand {
    }

    /** @param rebindConsent the user's consent that licenses from another device are re-bound to this one */
    record Restore(Path directory, boolean rebindConsent) implements OperatorCommand {
    }

    /** Checks the backup in a directory as a restore would, changing nothing. */
    record Verify(Path directory) implements OperatorCommand {
    }

    /** Gives licenses back to the license management server and deletes them here. */
    record Release(List<String> keyIds) implements OperatorCommand {

        public Release {
            keyIds = List.copyOf(keyIds);
        }
    }

    record ListLicenses(LicenseQuery query) implements OperatorCommand {
    }

    record Status() implements OperatorCommand {
    }
}
