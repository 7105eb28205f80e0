package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the tests of promises made across machines share: each host and the server is the launcher
 * jar run in a process of its own, as a user runs it, with a home of its own under {@code target/}.
 * Every run is bounded in time; servers are stopped by the test that started them.
 */
abstract class ProcessTestSupport {

    static final Duration RUN_PATIENCE = Duration.ofMinutes(3);
    static final String SUPPORT_URL = "https://support.example/licenses";
    private static final Pattern LISTED = Pattern.compile("^([0-9,]+) licenses?$");
    private static final Pattern STORE_LINE = Pattern.compile("^license store: +[^,]+, ([0-9,]+) licenses?\\b.*");

    final LauncherProcess launcher = new LauncherProcess(Path.of(System.getProperty("java.home"), "bin", "java"),
            Path.of("target", "license-backup.jar").toAbsolutePath(), LauncherProcess.QUICK_START);

    /** A new, empty folder for one test's homes, named after it. */
    static Path folderFor(String test) throws IOException {
        Path folder = Path.of("target", "process-tests", test).toAbsolutePath();
        Main.deleteRecursively(folder);
        return Files.createDirectories(folder);
    }

    LauncherProcess.Result run(Path home, List<String> options, String... command) throws IOException {
        return launcher.runIn(home, options, List.of(command), System.out, RUN_PATIENCE);
    }

    LauncherProcess.Result succeed(Path home, List<String> options, String... command) throws IOException {
        LauncherProcess.Result result = run(home, options, command);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + " failed:\n" + String.join("\n", result.lines()));
        return result;
    }

    /**
     * A test's folder, with the host the licenses come from: it holds {@code licenses} test licenses
     * (see LicenseFill: 17 of 20 may be backed up) of an issuer made for the test.
     */
    Origin origin(String test, int licenses) throws IOException {
        Path root = folderFor(test);
        Origin origin = new Origin(root, root.resolve("issuer.key"), root.resolve("origin"), root.resolve("backup").toString());
        issue(origin.home(), licenses, origin.issuerKey());
        return origin;
    }

    /** @param backup the backup directory, as the command line takes it */
    record Origin(Path root, Path issuerKey, Path home, String backup) {

        Path home(String name) {
            return root.resolve(name);
        }
    }

    /**
     * Makes {@code to} (made if missing) a home of the device of the home {@code from}: its key file and
     * the record beside it, which together are the device (the store is not copied).
     */
    static Path copyDevice(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String file : List.of("device.key", "device.record")) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
        return to;
    }

    /** A license server in the test's folder that trusts the test's issuer. */
    ServerProcess serverFor(Origin origin, String... options) throws IOException {
        return serverFor(origin, "server", List.of(options));
    }

    /** A license server with the home {@code name} in the test's folder that trusts the test's issuer. */
    ServerProcess serverFor(Origin origin, String name, List<String> options) throws IOException {
        List<String> all = new ArrayList<>(List.of("--trust", trust(origin.issuerKey())));
        all.addAll(options);
        return ServerProcess.start(launcher, origin.home(name), all, System.out, "  [" + name + "] ", RUN_PATIENCE);
    }

    /** The origin backs up for {@code server}; answers how many licenses it backed up. */
    long backUp(Origin origin, ServerProcess server) throws IOException {
        return backedUp(succeed(origin.home(), server.hostOptions(), "backup", origin.backup()));
    }

    /** Restores the backup in {@code backup} on the host in {@code home} through {@code server}, consenting to re-bind. */
    LauncherProcess.Result restoreOn(Path home, ServerProcess server, String backup) throws IOException {
        return succeed(home, server.hostOptions(), "restore", backup, "--rebind");
    }

    /**
     * Restores as {@link #restoreOn} does, where the server refuses every license: a failure, with one
     * NOTHING_RESTORED line.
     */
    LauncherProcess.Result refusedRestoreOn(Path home, ServerProcess server, String backup) throws IOException {
        LauncherProcess.Result result = run(home, server.hostOptions(), "restore", backup, "--rebind");
        assertRefusedEntirely(result);
        return result;
    }

    static void assertRefusedEntirely(LauncherProcess.Result result) {
        assertEquals(1, result.exitCode(), result.lines()::toString);
        assertEquals(1, linesWith(result, "error: NOTHING_RESTORED: every license in the backup was rejected"),
                result.lines()::toString);
    }

    /** Puts {@code count} test licenses into {@code home} (see LicenseFill: 85% of them may be backed up). */
    void issue(Path home, int count, Path issuerKey) throws IOException {
        succeed(home, List.of(), "issue", Integer.toString(count), "--issuer", issuerKey.toString());
    }

    static String trust(Path issuerKey) {
        return "@" + issuerKey + ".pub";
    }

    static long restored(LauncherProcess.Result result) {
        return first(result, LauncherProcess.RESTORED);
    }

    static long backedUp(LauncherProcess.Result result) {
        return first(result, LauncherProcess.BACKED_UP);
    }

    /** How many licenses {@code list} counted in the home. */
    long held(Path home) throws IOException {
        return first(succeed(home, List.of(), "list"), LISTED);
    }

    static long linesWith(LauncherProcess.Result result, String text) {
        return result.lines().stream().filter(line -> line.contains(text)).count();
    }

    private static long first(LauncherProcess.Result result, Pattern pattern) {
        return result.count(pattern).orElseThrow(
                () -> new AssertionError("no line matches " + pattern + " in:\n" + String.join("\n", result.lines())));
    }

    /**
     * How many licenses {@code status} says the home's store holds: also where {@code list} refuses a
     * store that lost its licenses (a restore into it killed before its commit, say).
     */
    long heldAsStatusSays(Path home) throws IOException {
        return first(succeed(home, List.of(), "status"), STORE_LINE);
    }

    /** The key IDs that {@code list} shows in the home. */
    List<String> keyIds(Path home) throws IOException {
        return succeed(home, List.of(), "list").lines().stream().filter(line -> line.contains("  ["))
                .map(line -> line.split("\\s+", 2)[0]).toList();
    }

    /** The files of the home's store: whatever the engine, they are named after the licenses. */
    static List<Path> storeFiles(Path home) throws IOException {
        try (Stream<Path> files = Files.list(home)) {
            return files.filter(file -> file.getFileName().toString().startsWith("licenses") && Files.isRegularFile(file))
                    .sorted().toList();
        }
    }

    /** A failure as a user must see it: exit code 1, one {@code error: } line that starts so, and no stack trace. */
    static void assertOneErrorLine(LauncherProcess.Result result, String start) {
        assertEquals(1, result.exitCode(), result.lines()::toString);
        assertTrue(errorLine(result).startsWith(start), result.lines()::toString);
        assertEquals(1, result.lines().stream().filter(line -> line.startsWith("error: ")).count(), result.lines()::toString);
        assertEquals(List.of(), result.lines().stream()
                .filter(line -> line.startsWith("\tat ") || line.contains("Exception")).toList(), "a stack trace");
    }

    static String errorLine(LauncherProcess.Result result) {
        return result.lines().stream().filter(line -> line.startsWith("error: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no error line in " + result.lines()));
    }
}
