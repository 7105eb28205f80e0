package org.licensebackup.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.licensebackup.api.BackupOptions;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Reason;
import org.licensebackup.api.Report;
import org.licensebackup.api.RestoreOptions;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;

/**
 * Runs one command line: parses it, runs the command with the services given, and answers an exit
 * code: {@value #OK}, {@value #FAILED} when the command failed, {@value #BAD_USAGE} when the command
 * line is wrong.
 */
final class CommandLine {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    /** How many excluded or rejected licenses a backup or restore names one by one. */
    private static final int MAX_LISTED = 20;

    private final Services services;
    private final PrintStream out;
    private final PrintStream err;
    private final ProgressDisplay display;
    private final Path home;

    /**
     * @param display shows the progress of operations, on {@code out}
     * @param home where the host keeps its data ({@code licensebackup.home}), or null when not set
     */
    CommandLine(Services services, ProgressDisplay display, PrintStream out, PrintStream err, Path home) {
        this.services = Objects.requireNonNull(services, "services");
        this.display = Objects.requireNonNull(display, "display");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.home = home;
    }

    int run(String... args) {
        Command command;
        try {
            command = CommandParser.parse(args);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(Command.USAGE);
            return BAD_USAGE;
        }
        try {
            return execute(command);
        } catch (BackupRestoreException e) {
            return failed(e.code(), detail(e));
        } catch (StoreException e) {
            return failed(ErrorCode.IO_ERROR, "license store: " + e.getMessage());
        } catch (IOException e) {
            return failed(ErrorCode.IO_ERROR, e.toString());
        } catch (RuntimeException e) {
            return failed(ErrorCode.INTERNAL_ERROR, e.toString());
        } finally {
            out.flush();
        }
    }

    private int execute(Command command) throws IOException {
        if (usesTheHome(command)) {
            // Both before anything else: a damaged key file or a store that does not open is the
            // whole story, told at once, and no command on a broken home ends as if it worked.
            services.device().get();
            services.store().get();
        }
        if (command instanceof Command.Connect connect) {
            services.hostSetup().get().connect(connect);
            out.println("this host now uses the license management server at " + connect.url()
                    + connect.serverKey().map(key -> ", whose key must be " + key).orElse(""));
            return OK;
        }
        if (command instanceof Command.Issue issue) {
            return issue(issue);
        }
        if (command instanceof Command.UseStore useStore) {
            services.hostSetup().get().useStore(useStore.postgres());
            out.println(useStore.postgres().map(database -> "this host now keeps its licenses in the PostgreSQL database at "
                    + database.url() + " (the embedded store's file stays as it is)")
                    .orElse("this host now keeps its licenses in the embedded store again"));
            return OK;
        }
        if (command instanceof Command.Server server) {
            Map.Entry<String, String> listening = services.hostSetup().get().startServer(server.settings());
            out.println("license management server listening at " + listening.getKey());
            out.println("its key (give it to devices: connect URL KEY): " + listening.getValue());
            out.println("stop it with Ctrl-C");
            out.flush();
            services.untilStopped().run();
            return OK;
        }
        if (command instanceof Command.Backup backup) {
            out.println("backing up to " + backup.directory());
            Report report = display.follow(services.restorer().get().backup(backup.directory(),
                    backup.overwrite() ? BackupOptions.overwriting() : BackupOptions.defaults()), "backup");
            Reports.print(report, out, MAX_LISTED);
            return OK;
        }
        if (command instanceof Command.Restore restore) {
            out.println("restoring from " + restore.directory());
            Report report = display.follow(services.restorer().get().restore(restore.directory(),
                    restore.rebindConsent() ? RestoreOptions.withRebindConsent() : RestoreOptions.defaults()), "restore");
            Reports.print(report, out, MAX_LISTED);
            if (nothingRestoredForRefusals(report)) {
                return failed(ErrorCode.NOTHING_RESTORED, "every license in the backup was rejected ("
                        + Reports.leftOut(report) + "); the store is as it was");
            }
            return OK;
        }
        if (command instanceof Command.Verify verify) {
            out.println("verifying " + verify.directory());
            Report report = display.follow(services.restorer().get().verify(verify.directory()), "verify");
            Reports.print(report, out, MAX_LISTED);
            return OK;
        }
        if (command instanceof Command.Release release) {
            out.println("giving back " + Formats.count(release.keyIds().size())
                    + (release.keyIds().size() == 1 ? " license" : " licenses") + " to the license management server");
            Report report = display.follow(services.restorer().get().release(release.keyIds()), "release");
            Reports.print(report, out, MAX_LISTED);
            return OK;
        }
        if (command instanceof Command.ListLicenses) {
            list(services.store().get());
            return OK;
        }
        printHelp();
        return OK;
    }

    /**
     * Licenses came, none went in, and none is in the store already (as it is, or newer): every one
     * was refused, which the user must not take for a restore done.
     */
    static boolean nothingRestoredForRefusals(Report report) {
        return report.leftOutCount() > 0 && report.succeeded() == 0 && report.unchanged() == 0
                && !report.leftOutByReason().containsKey(Reason.NEWER_IN_STORE);
    }

    /** Every command but those that only configure this host or run the server reads the home's key or store. */
    private static boolean usesTheHome(Command command) {
        return command instanceof Command.Backup || command instanceof Command.Restore || command instanceof Command.Verify
                || command instanceof Command.Release || command instanceof Command.ListLicenses
                || command instanceof Command.Issue;
    }

    private int issue(Command.Issue issue) throws IOException {
        Issuer issuer = LicenseFill.issuer(issue.issuerKeyFile());
        List<LicenseSpec> specs = LicenseFill.specs(issue.count(), Instant.now());
        DeviceIdentity device = services.device().get();
        String described = LicenseFill.describe(specs);
        long started = System.nanoTime();
        LicenseFill.issueInto(services.store().get(), issuer, specs, device);
        out.println("issued " + described + ", bound to device " + device.deviceId() + ", in "
                + Formats.duration(Duration.ofNanos(System.nanoTime() - started)));
        out.println("issuer key (a server must trust it: server --trust @"
                + LicenseFill.publicKeyFile(issue.issuerKeyFile().toAbsolutePath()) + "): " + LicenseFill.publicKey(issuer));
        return OK;
    }

    private void list(LicenseStore store) {
        AtomicLong count = new AtomicLong();
        try (Stream<License> licenses = store.licenses()) {
            licenses.forEach(license -> {
                out.println(license.keyId() + "  " + license.title() + "  [" + Formats.rights(license.rights()) + "]  "
                        + Formats.usage(license.usage()));
                count.incrementAndGet();
            });
        }
        out.println(Formats.count(count.get()) + (count.get() == 1 ? " license" : " licenses"));
    }

    private void printHelp() {
        out.println(Command.USAGE);
        out.println("  backup DIR [--overwrite]  back up every license that may be backed up into DIR;");
        out.println("                            --overwrite replaces a backup already there");
        out.println("  restore DIR [--rebind]    restore the backup in DIR; --rebind consents to re-binding");
        out.println("                            licenses backed up on another device to this one");
        out.println("  verify DIR                check the backup in DIR as a restore would, changing nothing");
        out.println("  list                      list the licenses in the store");
        out.println("  release KEY-ID...         give licenses back to the license management server, freeing");
        out.println("                            this device's slot for another device, and delete them here");
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
        out.println("exit codes: 0 done, 1 failed (error: CODE: message), 2 bad command line");
    }

    private int failed(ErrorCode code, String message) {
        out.flush();
        err.println("error: " + code + ": " + message);
        return FAILED;
    }

    /** The message without the code that {@link BackupRestoreException} puts in front of it. */
    private static String detail(BackupRestoreException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = e.code() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
