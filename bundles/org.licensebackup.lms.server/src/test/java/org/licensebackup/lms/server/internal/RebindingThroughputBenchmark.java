package org.licensebackup.lms.server.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.internal.TestDevices;
import org.licensebackup.issuer.Issuer;
import org.licensebackup.issuer.LicenseSpec;
import org.licensebackup.license.License;
import org.licensebackup.license.Rights;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.server.internal.Ledger.SessionRow;

/**
 * How many licenses a second the engine re-binds, on an embedded H2 ledger: N licenses issued to an
 * origin device, then per round a new device's session accepts the origin's escrow, re-binds them
 * in batches of 2048 and commits; timed from the session's opening to its close. A rough figure,
 * with no assertion, run by hand from the repository's root (arguments: licenses, rounds); the
 * reactor build resolves the sibling bundles from their target folders, so nothing is installed:
 *
 * <pre>
 * mvn -B -o -q test-compile dependency:build-classpath -pl bundles/org.licensebackup.lms.server -am -Djazzer.skip \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/lms-server-test.classpath
 * cd bundles/org.licensebackup.lms.server
 * java -cp target/classes:target/test-classes:$(cat /tmp/lms-server-test.classpath) \
 *     org.licensebackup.lms.server.internal.RebindingThroughputBenchmark 100000 4
 * </pre>
 */
public final class RebindingThroughputBenchmark {

    private static final int BATCH = 2048;

    private RebindingThroughputBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        int licenses = arguments.length > 0 ? Integer.parseInt(arguments[0]) : 100_000;
        int rounds = arguments.length > 1 ? Integer.parseInt(arguments[1]) : 4;
        Issuer issuer = Issuer.generate("studio");
        DeviceIdentity origin = TestDevices.generate();
        LicenseSpec spec = LicenseSpec.of("Metropolis", Rights.unlimited().withBackupAllowed(true));
        List<License> backedUp = new ArrayList<>(licenses);
        for (int i = 0; i < licenses; i++) {
            backedUp.add(issuer.issue(spec, origin.deviceId(), origin.agreementPublicKey()));
        }
        Path folder = Files.createTempDirectory("lms-benchmark");
        LedgerDatabase ledger = LedgerDatabase.embedded(folder.resolve("lms"), H2Drivers.h2());
        // every round brings a new device: the limit must leave room for all of them
        EngineSettings settings = EngineSettings.of(rounds, new String[] {Base64.getEncoder().encodeToString(issuer.publicKey())}, "", 600, BATCH);
        try (LicenseServerEngine engine = new LicenseServerEngine(ledger.dataSource(), settings, Clock.systemUTC(), true)) {
            System.out.printf(Locale.ROOT, "%d licenses, batches of %d, %d cores%n", licenses, BATCH, Runtime.getRuntime().availableProcessors());
            for (int round = 0; round < rounds; round++) {
                DeviceIdentity newDevice = TestDevices.generate();
                long start = System.nanoTime();
                SessionRow session = engine.session(engine.openSession(newDevice.signingPublicKey(), newDevice.agreementPublicKey()));
                engine.acceptDeviceKeyEscrow(session, origin.deviceId(), origin.escrowAgreementKey(engine.keys().agreementKey()));
                int rebound = 0;
                for (int from = 0; from < licenses; from += BATCH) {
                    for (Rebinding answer : engine.rebind(session, backedUp.subList(from, Math.min(licenses, from + BATCH)))) {
                        rebound += answer instanceof Rebinding.Rebound ? 1 : 0;
                    }
                }
                engine.commit(session);
                engine.close(session.sessionId());
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "round %d: %d of %d re-bound in %.2f s: %.0f licenses/s%n", round, rebound, licenses, seconds,
                        licenses / seconds);
            }
        } finally {
            ledger.close();
        }
    }
}
