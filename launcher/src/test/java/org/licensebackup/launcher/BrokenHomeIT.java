package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * A broken home, as a user meets it through the launcher: each case ends with exit code 1 and one
 * line that says what is wrong and what to do, no stack trace, and nothing of the home deleted.
 */
class BrokenHomeIT extends ProcessTestSupport {

    @Test
    void aHomeInUseByAnotherProcessNamesThatProcess() throws Exception {
        Origin origin = origin("home-in-use", 3);
        // A server runs until stopped: it holds its home for as long as the test needs.
        try (ServerProcess server = ServerProcess.start(launcher, origin.home(), List.of(), System.out, "  [server] ",
                RUN_PATIENCE)) {
            LauncherProcess.Result refused = run(origin.home(), List.of(), "list");
            assertOneErrorLine(refused, "error: STORE_UNAVAILABLE: the home " + origin.home()
                    + " is in use by another process (PID ");
        }
        assertEquals(3, held(origin.home()));
    }

    @Test
    void aDamagedDeviceKeyIsNamedAndKeptAndNoCommandOnTheHomeSucceeds() throws Exception {
        Origin origin = origin("damaged-key", 3);
        Path keyFile = origin.home().resolve("device.key");
        byte[] damaged = Files.readAllBytes(keyFile);
        damaged[10] ^= 0x01;
        Files.write(keyFile, damaged);

        for (String command : List.of("list", "backup")) {
            LauncherProcess.Result refused = command.equals("list") ? run(origin.home(), List.of(), "list")
                    : run(origin.home(), List.of(), "backup", origin.backup());
            assertOneErrorLine(refused, "error: BAD_DATA: the device key file " + keyFile + " is damaged (its checksum"
                    + " does not match its content); it is left as it is");
        }
        assertArrayEquals(damaged, Files.readAllBytes(keyFile));
    }

    @Test
    void aCorruptStoreIsNamedWithWhatToDoAndKept() throws Exception {
        Origin origin = origin("corrupt-store", 3);
        List<Path> storeFiles = storeFiles(origin.home());
        assertTrue(!storeFiles.isEmpty(), "no store file in " + origin.home());
        // Both copies of the header and more: no engine could tell what the file held.
        Random random = new Random(8);
        for (Path file : storeFiles) {
            byte[] noise = new byte[(int) Math.min(Files.size(file), 16 << 10)];
            random.nextBytes(noise);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(noise), 0);
            }
        }
        byte[] corrupt = Files.readAllBytes(storeFiles.get(0));

        LauncherProcess.Result refused = run(origin.home(), List.of(), "list");
        assertOneErrorLine(refused, "error: STORE_UNAVAILABLE: ");
        String line = errorLine(refused);
        assertTrue(line.contains(storeFiles.get(0).getFileName().toString()), line);
        // what to do, said once, by the store that knows what its file is
        assertTrue(line.endsWith(": move it aside (keep it: it may hold licenses backed up nowhere), then restore the newest backup"), line);
        assertArrayEquals(corrupt, Files.readAllBytes(storeFiles.get(0)));
    }

    @Test
    void aHomeThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(folderFor("home-is-a-file").resolve("home"), "not a folder");
        LauncherProcess.Result refused = run(file, List.of(), "list");
        assertOneErrorLine(refused, "error: STORE_UNAVAILABLE: the home " + file + " is a file, not a folder: give --home"
                + " a folder (a new one is made if missing)");
        assertEquals("not a folder", Files.readString(file));
    }
}
