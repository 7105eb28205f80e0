package org.licensebackup.testing.postgres;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

class PostgresProcessTest {

    @Test
    void theServerIsTheOneFromMavenCentralNotTheMachines() throws Exception {
        try (PostgresProcess postgres = PostgresProcess.start()) {
            // 15.19.0 names PostgreSQL 15.19
            String release = PostgresBinaries.VERSION.substring(0, PostgresBinaries.VERSION.lastIndexOf('.'));
            String version = query(postgres, "SELECT version()");
            assertTrue(version.startsWith("PostgreSQL " + release + " "), version);
            assertEquals("C", query(postgres, "SHOW lc_collate"));
        }
    }

    @Test
    void aPortThatAnotherProcessHoldsIsPassedOverForAnother() throws Exception {
        // held for the whole test, as another server on the machine would hold it
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger candidates = new AtomicInteger();
            IntSupplier takenFirst = () -> candidates.getAndIncrement() == 0 ? taken.getLocalPort()
                    : ThreadLocalRandom.current().nextInt(20000, 32768);
            try (PostgresProcess postgres = PostgresProcess.start(takenFirst)) {
                assertNotEquals(taken.getLocalPort(), postgres.port());
                assertTrue(candidates.get() >= 2, "tried " + candidates.get() + " ports");
                assertEquals("1", query(postgres, "SELECT 1"));
            }
        }
    }

    @Test
    void aPlatformWithoutBinariesIsRefusedInOneLine() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> PostgresBinaries.requireSupported("Mac OS X", "aarch64"));
        assertTrue(refused.getMessage().contains("Mac OS X on aarch64"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertDoesNotThrow(() -> PostgresBinaries.requireSupported("Linux", "amd64"));
    }

    private static String query(PostgresProcess postgres, String sql) throws Exception {
        try (Connection connection = postgres.dataSource("postgres").getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getString(1);
        }
    }
}
