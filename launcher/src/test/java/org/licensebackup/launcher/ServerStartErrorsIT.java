package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * A server that cannot start says why at once, in one line with its code, and exits 2 for an option
 * no server can take and 1 for what its surroundings refuse; {@code connect} with a bad key too, and
 * both leave the home's configuration as it was. Each run's time is printed, never asserted.
 */
class ServerStartErrorsIT extends ProcessTestSupport {

    private static final Path SERVER_CONFIGURATION = Path.of(Main.CONFIGURATION_FOLDER, "org", "licensebackup", "lms", "server.config");
    private static final Path CLIENT_CONFIGURATION = Path.of(Main.CONFIGURATION_FOLDER, "org", "licensebackup", "lms", "client.config");

    @Test
    void eachCauseIsNamedInOneLineWithItsExitCode() throws Exception {
        Path root = folderFor("server-start-errors");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int closedPort = freePort();
            assertFails(root, "trust-garbage", 2, "error: server --trust: not a key in base64: garbage!", "--trust", "garbage!");
            assertFails(root, "trust-not-32-bytes", 2, "error: server --trust: a public key has 32 bytes, this one 5: garbage", "--trust", "garbage");
            assertFails(root, "port-in-use", 1, "error: IO_ERROR: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is in use by another process", "--port", Integer.toString(taken.getLocalPort()));
            assertFails(root, "foreign-address", 1, "error: IO_ERROR: cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine",
                    "--host", "192.0.2.1");
            assertFails(root, "unknown-driver", 2, "error: no JDBC driver for jdbc:nosuchdb://db/lms is installed",
                    "--database", "jdbc:nosuchdb://db/lms");
            assertFails(root, "database-down", 1, "error: IO_ERROR: the database at jdbc:postgresql://127.0.0.1:" + closedPort
                    + "/lms does not answer", "--database", "jdbc:postgresql://127.0.0.1:" + closedPort + "/lms");
            assertFails(root, "trust-file-missing", 1, "error: IO_ERROR: server --trust: there is no file " + root.resolve("absent.pub"),
                    "--trust", "@" + root.resolve("absent.pub"));
            assertFails(root, "password-file-missing", 1, "error: IO_ERROR: --database-password-file: there is no file "
                    + root.resolve("absent-password"), "--database", "jdbc:postgresql://127.0.0.1:" + closedPort + "/lms",
                    "--database-password-file", root.resolve("absent-password").toString());
        }
    }

    @Test
    void aServerThatFailedLeavesTheConfigurationOfTheLastGoodRunAsItWas() throws Exception {
        Path home = folderFor("server-start-errors-kept").resolve("server");
        try (ServerProcess server = ServerProcess.start(launcher, home, List.of(), System.out, "  [server] ", RUN_PATIENCE)) {
            assertTrue(server.url().startsWith("http://127.0.0.1:"));
        }
        List<String> good = configured(home.resolve(SERVER_CONFIGURATION));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LauncherProcess.Result refused = run(home, List.of(), "server", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, refused.exitCode(), refused.lines()::toString);
        }
        assertEquals(good, configured(home.resolve(SERVER_CONFIGURATION)));
    }

    /** A configuration file's properties, without the count of its updates that Felix keeps in it. */
    private static List<String> configured(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.contains("configadmin.revision")).sorted().toList();
    }

    @Test
    void connectWithABadKeyIsABadCommandLineAndLeavesTheConfigurationAsItWas() throws Exception {
        Path home = folderFor("connect-bad-key").resolve("device");
        long started = System.nanoTime();
        LauncherProcess.Result refused = run(home, List.of(), "connect", "http://127.0.0.1:8480/", "garbage!");
        System.out.printf(Locale.ROOT, "connect with a bad key: exit %d after %d ms%n", refused.exitCode(), (System.nanoTime() - started) / 1_000_000);
        assertEquals(2, refused.exitCode(), refused.lines()::toString);
        assertTrue(refused.lines().get(0).startsWith("error: connect: the server's key: not a key in base64: garbage!"), refused.lines()::toString);
        assertFalse(Files.exists(home.resolve(CLIENT_CONFIGURATION)), "no client configured");

        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        LauncherProcess.Result connected = run(home, List.of(), "connect", "http://127.0.0.1:8480/", key);
        assertEquals(0, connected.exitCode(), connected.lines()::toString);
        byte[] configured = Files.readAllBytes(home.resolve(CLIENT_CONFIGURATION));
        assertEquals(2, run(home, List.of("--lms", "http://127.0.0.1:8480/", "--lms-key", key.substring(1)), "status").exitCode());
        assertArrayEquals(configured, Files.readAllBytes(home.resolve(CLIENT_CONFIGURATION)));
    }

    /** Runs {@code server OPTIONS} in a fresh home: it must exit {@code exitCode}, its first line starting with {@code line}. */
    private void assertFails(Path root, String name, int exitCode, String line, String... options) throws IOException {
        Path home = root.resolve(name);
        List<String> command = new ArrayList<>(List.of("server"));
        if (!List.of(options).contains("--port")) {
            command.addAll(List.of("--port", "0"));
        }
        command.addAll(List.of(options));
        long started = System.nanoTime();
        LauncherProcess.Result result = run(home, List.of(), command.toArray(String[]::new));
        System.out.printf(Locale.ROOT, "%s: exit %d after %d ms%n", name, result.exitCode(), (System.nanoTime() - started) / 1_000_000);
        assertEquals(exitCode, result.exitCode(), result.lines()::toString);
        List<String> errors = result.lines().stream().filter(text -> text.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), result.lines()::toString);
        assertTrue(errors.get(0).startsWith(line), () -> "expected " + line + " in " + result.lines());
        assertTrue(result.lines().stream().noneMatch(text -> text.contains("Exception") || text.startsWith("\tat ")), result.lines()::toString);
        assertFalse(Files.exists(home.resolve(SERVER_CONFIGURATION)), "the configuration is as it was: none");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
