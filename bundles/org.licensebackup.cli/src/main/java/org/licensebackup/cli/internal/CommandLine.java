package org.licensebackup.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;

/**
 * Runs one command line: parses it, runs the command, and answers an exit code: {@value #OK},
 * {@value #FAILED} when the command failed (one line, {@code error: CODE: message}), {@value #BAD_USAGE}
 * when the command line is wrong. The operator's commands and {@code issue} are other bundles' Gogo
 * commands ({@code license:NAME}), run as they are, {@code server} too (the license server bundle's
 * {@code license:server}), after which the process runs until stopped. Each command that configures
 * the host is the Gogo command of the bundle it configures ({@code connect} the license client's,
 * {@code store} the PostgreSQL store's): this one knows no other bundle's configuration.
 */
final class CommandLine {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    private final Services services;
    private final PrintStream out;
    private final PrintStream err;

    CommandLine(Services services, PrintStream out, PrintStream err) {
        this.services = Objects.requireNonNull(services, "services");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    int run(String... args) {
        Command command;
        try {
            command = CommandParser.parse(args);
        } catch (UsageException e) {
            return badUsage(e.getMessage());
        }
        try {
            return execute(command);
        } catch (BackupRestoreException e) {
            return failed(e.code(), detail(e));
        } catch (IllegalArgumentException e) {
            // how Gogo, and the commands it runs, refuse arguments they do not take
            return badUsage(e.getMessage());
        } catch (IOException e) {
            return failed(ErrorCode.IO_ERROR, inPlainWords(e));
        } catch (Exception e) {
            return failed(ErrorCode.INTERNAL_ERROR, e.toString());
        } finally {
            out.flush();
        }
    }

    private int execute(Command command) throws Exception {
        if (command instanceof Command.Contributed contributed) {
            services.contributed().run(contributed.name(), contributed.args()).ifPresent(out::println);
            return OK;
        }
        if (command instanceof Command.Server server) {
            // prints where the server listens and its key, and writes the --info file
            services.contributed().run(Command.SERVER, server.args());
            out.println("stop it with Ctrl-C");
            out.flush();
            services.untilStopped().run();
            return OK;
        }
        printHelp();
        return OK;
    }

    private void printHelp() {
        out.println(Command.USAGE);
        out.println("  backup DIR [--overwrite]  back up every license that may be backed up into DIR;");
        out.println("                            --overwrite replaces a backup already there");
        out.println("  restore DIR [--rebind]    restore the backup in DIR; --rebind consents to re-binding");
        out.println("                            licenses backed up on another device to this one");
        out.println("  verify DIR                check the backup in DIR as a restore would, changing nothing");
        out.println("  list [FILTERS]            list the licenses in the store: --title TEXT (any case),");
        out.println("                            --key-id PREFIX, --rights RIGHT[,RIGHT] (repeatable; all must");
        out.println("                            hold): backup-allowed, backup-not-allowed, stateful, expires,");
        out.println("                            expired, not-yet-valid, used-up, bound-here, bound-elsewhere");
        out.println("  status                    the store in use, this device, the last good backup, the");
        out.println("                            device allowance where known, the recent operations");
        out.println("  release KEY-ID...         give licenses back to the license management server, freeing");
        out.println("                            this device's slot for another device, and delete them here");
        out.println("  backups DIR               the backups in DIR, newest first: time, device, licenses, verified");
        out.println("  safetybackup              back up now into the home's safety-backups/, as before a risky change");
        out.println("  clean                     remove the licenses that can never be used again, each with its reason");
        out.println("  schedules                 the scheduled backups: last success, failures in a row, next run");
        out.println("  runschedule NAME          run the schedule NAME's backup now");
        out.println("  newdevice                 make this home a new device when its key or record is lost: the old");
        out.println("                            ones are kept in previous-devices/; then restore DIR --rebind");
        out.println("  connect URL [KEY]         use the license management server at URL (its key pinned if");
        out.println("                            given, else the first one it shows); kept for the next runs");
        out.println("  issue COUNT --issuer FILE put COUNT test licenses bound to this device into the store,");
        out.println("                            signed by the issuer whose key is in FILE (made if missing)");
        out.println("  store postgres JDBC-URL   keep this host's licenses in a PostgreSQL database from now on");
        out.println("    [--database-user USER] [--database-password-file FILE]");
        out.println("  store embedded            keep them in the embedded store again");
        out.println("  server [OPTIONS]          run the license management server until stopped: --host HOST,");
        out.println("                            --port PORT (0: any free one), --device-limit N, --trust KEY");
        out.println("                            or @FILE (repeatable), --support-url URL, --info FILE,");
        out.println("                            --database JDBC-URL (a ledger servers share, e.g. PostgreSQL)");
        out.println("                            with --database-user USER, --database-password-file FILE");
        out.println("  help                      show this");
        out.println("all but help are the Gogo commands license:NAME, which a Gogo or Karaf console runs too");
        out.println("exit codes: 0 done, 1 failed (error: CODE: message), 2 bad command line");
    }

    private int badUsage(String message) {
        out.flush();
        err.println("error: " + message);
        err.println(Command.USAGE);
        return BAD_USAGE;
    }

    private int failed(ErrorCode code, String message) {
        out.flush();
        err.println("error: " + code + ": " + message);
        return FAILED;
    }

    /** What failed, as a person says it: no exception class names (java.nio.file.NoSuchFileException: X). */
    static String inPlainWords(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return "there is no file " + missing.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException denied) {
            return denied.getFile() + " may not be read or written by this user";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The message without the code that {@link BackupRestoreException} puts in front of it. */
    private static String detail(BackupRestoreException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = e.code() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
