package org.licensebackup.cli.internal;

/** The command line does not say a command this tool knows, in a form it understands. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
