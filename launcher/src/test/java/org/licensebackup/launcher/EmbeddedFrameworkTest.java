package org.licensebackup.launcher;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** A disk too full for the framework's cache is one line at once, not a bundle failure each and a wait. */
class EmbeddedFrameworkTest {

    private static final Path CACHE = Path.of("/home/user/.licensebackup/framework-cache");

    @Test
    void aDiskWithoutRoomForTheBundlesAndTheirDataIsRefusedInOneLineWithWhatToDo() {
        LaunchException refused = assertThrows(LaunchException.class,
                () -> EmbeddedFramework.requireRoom(CACHE, 3 << 20, 24 << 20));

        assertEquals("IO_ERROR: the disk of " + CACHE + " is too full for the framework's cache: 3,072 KiB free, the bundles"
                + " need about 30,720 KiB; free some room there, or give --home a folder on another disk", refused.getMessage());
    }

    @Test
    void aDiskWithRoomToSpareIsTaken() {
        assertDoesNotThrow(() -> EmbeddedFramework.requireRoom(CACHE, 31 << 20, 24 << 20));
    }
}
