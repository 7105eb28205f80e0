package org.licensebackup.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;

class PartReadinessTest {

    private final PartReadiness parts = new PartReadiness(Duration.ofMillis(200));

    /** A part whose readiness the test sets, as the component behind it would. */
    private AtomicReference<Readiness> part(String part, Readiness initially) {
        AtomicReference<Readiness> readiness = new AtomicReference<>(initially);
        ReadinessService service = readiness::get;
        parts.bind(service, Map.of(ReadinessService.PART, part));
        return readiness;
    }

    private static String refusal(ErrorCode code, Executable command) {
        BackupRestoreException refused = assertThrows(BackupRestoreException.class, command);
        assertEquals(code, refused.code());
        return refused.getMessage();
    }

    @Test
    void aDeviceThatServesLetsTheCommandGoOn() {
        part(ReadinessService.DEVICE, Readiness.ready(ReadinessService.DEVICE, "/h/device.key"));
        parts.awaitDevice();
    }

    @Test
    void aDeviceThatFailedIsBadDataWithItsOwnMessageAtOnce() {
        PartReadiness impatient = new PartReadiness(Duration.ofDays(1));
        impatient.bind(() -> new Readiness(ReadinessService.DEVICE, "/h/device.key", Readiness.State.FAILED,
                "the device key file /h/device.key is damaged"), Map.of(ReadinessService.PART, ReadinessService.DEVICE));
        assertEquals("BAD_DATA: the device key file /h/device.key is damaged", refusal(ErrorCode.BAD_DATA, impatient::awaitDevice));
    }

    @Test
    void aDeviceNotStartedIsWaitedForUntilItServes() throws Exception {
        AtomicReference<Readiness> device = new AtomicReference<>(Readiness.notStarted(ReadinessService.DEVICE, "", ""));
        PartReadiness patient = new PartReadiness(Duration.ofSeconds(30));
        patient.bind(device::get, Map.of(ReadinessService.PART, ReadinessService.DEVICE));
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(patient::awaitDevice);
        Thread.sleep(50);
        device.set(Readiness.ready(ReadinessService.DEVICE, "/h/device.key"));
        waiting.get(10, TimeUnit.SECONDS);
    }

    @Test
    void noDeviceWithinThePatienceSaysSo() {
        part(ReadinessService.DEVICE, Readiness.notStarted(ReadinessService.DEVICE, "", ""));
        assertEquals("BAD_DATA: no device identity within 0 s", refusal(ErrorCode.BAD_DATA, parts::awaitDevice));
    }

    @Test
    void aStoreThatFailedWhileAnotherServesIsNoRefusalButTheStatusCanTellIt() {
        part(ReadinessService.STORE, Readiness.ready(ReadinessService.STORE, "embedded"));
        part(ReadinessService.STORE, new Readiness(ReadinessService.STORE, "postgres", Readiness.State.FAILED,
                "cannot reach the PostgreSQL license store at jdbc:postgresql://db/licenses"));
        parts.awaitStore();
        assertEquals(Optional.of("cannot reach the PostgreSQL license store at jdbc:postgresql://db/licenses"), parts.storeFailure());
    }

    @Test
    void theOnlyStoreFailedIsStoreUnavailableWithItsOwnMessage() {
        part(ReadinessService.STORE, new Readiness(ReadinessService.STORE, "embedded", Readiness.State.FAILED,
                "the license store /h/licenses.db is damaged: move it aside"));
        part(ReadinessService.STORE, Readiness.notStarted(ReadinessService.STORE, "postgres", "not configured"));
        assertEquals("STORE_UNAVAILABLE: the license store /h/licenses.db is damaged: move it aside",
                refusal(ErrorCode.STORE_UNAVAILABLE, parts::awaitStore));
    }

    @Test
    void aPartThatLeftIsNoLongerAsked() {
        ReadinessService failed = () -> new Readiness(ReadinessService.STORE, "embedded", Readiness.State.FAILED, "damaged");
        parts.bind(failed, Map.of(ReadinessService.PART, ReadinessService.STORE));
        parts.unbind(failed);
        assertEquals(Optional.empty(), parts.storeFailure());
        assertEquals("STORE_UNAVAILABLE: no license store within 0 s", refusal(ErrorCode.STORE_UNAVAILABLE, parts::awaitStore));
    }
}
