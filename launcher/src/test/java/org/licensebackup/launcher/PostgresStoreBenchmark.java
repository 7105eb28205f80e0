package org.licensebackup.launcher;

import static org.licensebackup.launcher.BenchmarkFigures.sameDeviceEmptyStore;
import static org.licensebackup.launcher.BenchmarkFigures.seconds;
import static org.licensebackup.launcher.BenchmarkFigures.took;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.licensebackup.testing.postgres.PostgresProcess;

/**
 * A device's restore of its own backup into an empty store and its backup from that store, on the
 * PostgreSQL store and on the embedded store in the same run, each a process of the launcher jar
 * with a 64 MiB heap: a media server's store must stream, not hold its licenses in memory. Prints
 * the figures and the ratios; asserts nothing about time.
 *
 * <p>{@code mvn -B -q verify -pl launcher -am -DskipTests -Pbenchmark-postgres -Dbenchmark.licenses=1000000}
 */
public final class PostgresStoreBenchmark {

    private static final List<String> SMALL_HEAP = List.of("-Xmx64m");

    private final Path java;
    private final Path jar;
    private final PrintStream out;

    PostgresStoreBenchmark(Path java, Path jar, PrintStream out) {
        this.java = java;
        this.jar = jar;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        BenchmarkFigures.Arguments arguments = BenchmarkFigures.Arguments.parse(args, "target/benchmark-postgres");
        new PostgresStoreBenchmark(arguments.java(), arguments.jar(), System.out).run(arguments.licenses(), arguments.folder());
    }

    void run(int count, Path folder) throws Exception {
        Main.deleteRecursively(folder);
        Path filled = folder.resolve("filled");
        Path backup = folder.resolve("backup");
        LauncherProcess plain = new LauncherProcess(java, jar, List.of());
        LauncherProcess small = new LauncherProcess(java, jar, SMALL_HEAP);
        out.printf(Locale.ROOT, "benchmark: %,d licenses issued, %d cores, devices with %s, in %s%n", count,
                Runtime.getRuntime().availableProcessors(), SMALL_HEAP, folder);
        succeed(plain, filled, List.of("issue", Integer.toString(count), "--issuer", folder.resolve("issuer.key").toString()));
        succeed(plain, filled, List.of("backup", backup.toString()));

        Path embeddedHome = sameDeviceEmptyStore(filled, folder.resolve("on-embedded"));
        Duration embeddedRestore = took(succeed(small, embeddedHome, List.of("restore", backup.toString())));
        Duration embeddedBackup = took(succeed(small, embeddedHome, List.of("backup", folder.resolve("from-embedded").toString())));

        Duration postgresRestore;
        Duration postgresBackup;
        long restored;
        try (PostgresProcess postgres = PostgresProcess.start()) {
            Path postgresHome = sameDeviceEmptyStore(filled, folder.resolve("on-postgres"));
            succeed(plain, postgresHome, List.of("store", "postgres", postgres.createDatabase("licenses"), "--database-user", PostgresProcess.USER));
            LauncherProcess.Result restore = succeed(small, postgresHome, List.of("restore", backup.toString()));
            restored = restore.count(LauncherProcess.RESTORED).orElseThrow();
            postgresRestore = took(restore);
            postgresBackup = took(succeed(small, postgresHome, List.of("backup", folder.resolve("from-postgres").toString())));
        }
        out.println();
        out.printf(Locale.ROOT, "restore of %,d licenses into an empty store: PostgreSQL %.2f s, embedded %.2f s; ratio %.2f%n",
                restored, seconds(postgresRestore), seconds(embeddedRestore), seconds(postgresRestore) / seconds(embeddedRestore));
        out.printf(Locale.ROOT, "backup of them from the store:              PostgreSQL %.2f s, embedded %.2f s; ratio %.2f%n",
                seconds(postgresBackup), seconds(embeddedBackup), seconds(postgresBackup) / seconds(embeddedBackup));
    }

    private LauncherProcess.Result succeed(LauncherProcess launcher, Path home, List<String> command) throws IOException {
        return BenchmarkFigures.succeed(launcher, home, List.of(), command, out);
    }
}
