package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;

class ServiceSlotTest {

    private final ServiceSlot<String> slot = new ServiceSlot<>("test service", ErrorCode.STORE_UNAVAILABLE,
            Duration.ofMillis(200));

    @Test
    void failsWithItsCodeWhenNoServiceComesInTime() {
        BackupRestoreException thrown = assertThrows(BackupRestoreException.class, slot::get);
        assertEquals(ErrorCode.STORE_UNAVAILABLE, thrown.code());
    }

    @Test
    void waitsForAServiceThatComesLate() throws Exception {
        ServiceSlot<String> patient = new ServiceSlot<>("test service", ErrorCode.INTERNAL_ERROR, Duration.ofSeconds(10));
        CompletableFuture<String> got = CompletableFuture.supplyAsync(patient::get);
        Thread.sleep(50);
        patient.bind("late");
        assertEquals("late", got.get(5, TimeUnit.SECONDS));
    }

    @Test
    void keepsTheReplacementWhenTheOldServiceIsUnboundAfterIt() {
        String old = new String("old");
        String replacement = new String("new");
        slot.bind(old);
        slot.bind(replacement);
        slot.unbind(old);
        assertSame(replacement, slot.get());
    }

    @Test
    void isEmptyAgainWhenTheBoundServiceLeaves() {
        slot.bind("only");
        slot.unbind("only");
        assertThrows(BackupRestoreException.class, slot::get);
    }
}
