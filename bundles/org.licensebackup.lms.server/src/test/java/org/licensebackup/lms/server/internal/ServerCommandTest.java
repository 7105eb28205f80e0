package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The server command against a Configuration Admin that keeps one configuration in memory and a server that a test starts. */
class ServerCommandTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    /** Every configuration written for the server's PID, in order. */
    private final List<Dictionary<String, Object>> updates = new ArrayList<>();
    private Dictionary<String, Object> kept;

    @Test
    void answersForTheServerItsOwnUpdateStartedAndPrintsItsUrlAndKey(@TempDir Path dir) throws IOException {
        kept = new Hashtable<>();
        kept.put("host", "0.0.0.0");
        kept.put(ServerCommand.REVISION, "the last run's");
        Path info = dir.resolve("sub/server.properties");
        List<String> awaited = new ArrayList<>();
        ServerCommand command = new ServerCommand(configurationAdmin(), revision -> {
            awaited.add(revision);
            return new ServerCommand.Listening("http://127.0.0.1:41234/", "S0VZ");
        }, () -> out);

        command.server("--port", "0", "--info", info.toString());

        assertEquals(1, updates.size());
        Dictionary<String, Object> written = updates.get(0);
        assertEquals("0.0.0.0", written.get("host"), "what the configuration held stays");
        assertEquals(0, written.get("port"));
        assertEquals(List.of(written.get(ServerCommand.REVISION)), awaited, "waits for the server of this update");
        assertFalse("the last run's".equals(awaited.get(0)));
        assertEquals("license management server listening at http://127.0.0.1:41234/\n"
                + "its key (give it to devices: connect URL KEY): S0VZ\n", outBytes.toString(StandardCharsets.UTF_8));
        Properties written2 = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            written2.load(in);
        }
        assertEquals("http://127.0.0.1:41234/", written2.getProperty("url"));
        assertEquals("S0VZ", written2.getProperty("key"));
        assertFalse(Files.exists(info.resolveSibling("server.properties.partial")));
    }

    @Test
    void refusesABadCommandLineBeforeConfiguringAnything() {
        ServerCommand command = new ServerCommand(configurationAdmin(), revision -> {
            throw new AssertionError("no server is awaited");
        }, () -> out);
        assertThrows(IllegalArgumentException.class, () -> command.server("--port", "x"));
        assertTrue(updates.isEmpty());
    }

    @Test
    void aServerThatDoesNotStartIsOneErrorWithItsCodeAndNoInfoFile(@TempDir Path dir) {
        ServerCommand command = new ServerCommand(configurationAdmin(), revision -> {
            throw new BackupRestoreException(ErrorCode.RESTORE_SERVICE_UNAVAILABLE, "the license server did not start");
        }, () -> out);
        Path info = dir.resolve("server.properties");
        assertEquals(ErrorCode.RESTORE_SERVICE_UNAVAILABLE,
                assertThrows(BackupRestoreException.class, () -> command.server("--info", info.toString())).code());
        assertFalse(Files.exists(info));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
        assertEquals(null, kept, "no configuration, as before");
    }

    @Test
    void aServerThatDoesNotStartLeavesTheConfigurationAsItWas() {
        kept = new Hashtable<>();
        kept.put("port", 8480);
        ServerCommand command = new ServerCommand(configurationAdmin(), revision -> {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "cannot listen on 127.0.0.1:1: the port is in use by another process");
        }, () -> out);
        assertThrows(BackupRestoreException.class, () -> command.server("--port", "1"));
        assertEquals(8480, kept.get("port"));
        assertEquals(2, updates.size(), "the update, then the configuration put back");
    }

    @Test
    void aTrustedKeyFileThatCannotBeReadIsAnIoError(@TempDir Path dir) {
        ServerCommand command = new ServerCommand(configurationAdmin(), revision -> {
            throw new AssertionError("no server is awaited");
        }, () -> out);
        BackupRestoreException missing = assertThrows(BackupRestoreException.class,
                () -> command.server("--trust", "@" + dir.resolve("missing.pub")));
        assertEquals(ErrorCode.IO_ERROR, missing.code());
        assertEquals("IO_ERROR: server --trust: there is no file " + dir.resolve("missing.pub"), missing.getMessage());
        assertTrue(updates.isEmpty());
    }

    /** Configuration Admin with the server's one configuration: {@link #kept} until updated. */
    @SuppressWarnings("unchecked")
    private ConfigurationAdmin configurationAdmin() {
        Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> kept == null ? null : copy(kept);
                    case "update" -> {
                        kept = copy((Dictionary<String, Object>) args[0]);
                        updates.add(kept);
                        yield null;
                    }
                    case "delete" -> {
                        kept = null;
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConfiguration") && args.length == 2
                            && LicenseServerComponent.PID.equals(args[0]) && "?".equals(args[1])) {
                        return configuration;
                    }
                    throw new UnsupportedOperationException(method.getName() + " " + java.util.Arrays.toString(args));
                });
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Dictionary<String, Object> copy = new Hashtable<>();
        for (var keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
