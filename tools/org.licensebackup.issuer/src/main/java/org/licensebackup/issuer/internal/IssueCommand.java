package org.licensebackup.issuer.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.options.Options;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code license:issue COUNT --issuer FILE}: puts {@code COUNT} test licenses of every kind a host
 * meets into the store, bound to this device and signed by the issuer whose key is in {@code FILE}
 * (made if missing). A Gogo command of the issuer tool's, which the launcher's command line runs as
 * {@code issue}: tests, benchmarks and the demo fill homes with it; a product installs no issuer.
 * A failure is a {@link BackupRestoreException}, a command line this does not take an
 * {@link IllegalArgumentException}, as Gogo reports arguments it cannot take.
 */
@Component(service = IssueCommand.class, property = {"osgi.command.scope=license", "osgi.command.function=issue"})
public final class IssueCommand {

    static final String USAGE = "issue COUNT --issuer FILE";
    private static final String NAME = "issue";

    private final DeviceIdentity device;
    private final LicenseStore store;

    /** @param store the store with the highest ranking, the one the host uses */
    @Activate
    public IssueCommand(@Reference DeviceIdentity device, @Reference(policyOption = ReferencePolicyOption.GREEDY) LicenseStore store) {
        this.device = device;
        this.store = store;
    }

    /** What {@code issue} was asked: how many licenses, and the issuer's key file. */
    record Request(int count, Path issuerKeyFile) {
    }

    public void issue(String... args) {
        Request request = parse(args);
        PrintStream out = System.out;
        Issuer issuer;
        try {
            issuer = LicenseFill.issuer(request.issuerKeyFile());
        } catch (IOException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, e.toString(), e);
        } catch (IllegalArgumentException e) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, e.getMessage(), e);
        }
        List<LicenseSpec> specs = LicenseFill.specs(request.count(), Instant.now());
        long started = System.nanoTime();
        try {
            LicenseFill.issueInto(store, issuer, specs, device);
        } catch (StoreException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "license store: " + e.getMessage(), e);
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        out.println("issued " + LicenseFill.describe(specs) + ", bound to device " + device.deviceId() + ", in "
                + (millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0)));
        out.println("issuer key (a server must trust it: server --trust @"
                + LicenseFill.publicKeyFile(request.issuerKeyFile().toAbsolutePath()) + "): " + LicenseFill.publicKey(issuer));
        out.flush();
    }

    /** @throws IllegalArgumentException when {@code args} are not {@value #USAGE}'s */
    static Request parse(String... args) {
        Optional<String> count = Optional.empty();
        Optional<Path> issuerFile = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg == null) {
                throw new IllegalArgumentException("issue: the command line holds a null argument");
            }
            if (arg.equals("--issuer")) {
                if (i + 1 >= args.length || args[i + 1] == null || args[i + 1].isBlank()) {
                    throw new IllegalArgumentException("issue: --issuer needs a value");
                }
                issuerFile = Optional.of(Options.path(NAME + " --issuer", args[++i]));
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("issue: unknown option " + arg + " (only --issuer)");
            } else if (count.isPresent()) {
                throw new IllegalArgumentException("issue takes one count, got " + count.get() + " and " + arg);
            } else {
                count = Optional.of(arg);
            }
        }
        if (count.isEmpty() || issuerFile.isEmpty()) {
            throw new IllegalArgumentException("issue needs a count and --issuer FILE");
        }
        return new Request(Options.positive(NAME, count.get()), issuerFile.get());
    }
}
