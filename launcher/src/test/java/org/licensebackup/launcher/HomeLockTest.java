package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeLockTest {

    @Test
    void makesAMissingHomeAndWritesThePidOfItsHolder(@TempDir Path folder) throws Exception {
        Path home = folder.resolve("new-home");
        try (HomeLock lock = HomeLock.acquire(home)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()),
                    Files.readString(home.resolve(HomeLock.FILE_NAME), StandardCharsets.US_ASCII).trim());
        }
    }

    @Test
    void aSecondHolderInTheSameProcessIsRefused(@TempDir Path home) throws Exception {
        try (HomeLock lock = HomeLock.acquire(home)) {
            LaunchException refused = assertThrows(LaunchException.class, () -> HomeLock.acquire(home));
            assertTrue(refused.getMessage().contains("in use"), refused.getMessage());
        }
    }

    @Test
    void aReleasedHomeIsFreeAgainThoughItsLockFileStays(@TempDir Path home) throws Exception {
        HomeLock.acquire(home).close();
        assertTrue(Files.exists(home.resolve(HomeLock.FILE_NAME)));
        HomeLock.acquire(home).close();
    }

    @Test
    void refusesAHomeThatIsAFile(@TempDir Path folder) throws Exception {
        Path file = Files.writeString(folder.resolve("file"), "x");
        LaunchException refused = assertThrows(LaunchException.class, () -> HomeLock.acquire(file));
        assertTrue(refused.getMessage().contains("is a file, not a folder"), refused.getMessage());
    }
}
