package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.licensebackup.lms.Rebinding;
import org.licensebackup.lms.protocol.Endpoints;

class ServerMetricsTest {

    private final LicenseServerEngineTest.MutableClock clock = new LicenseServerEngineTest.MutableClock(Instant.parse("2026-01-01T23:00:00Z"));
    private final ServerMetrics metrics = new ServerMetrics(clock, new ServerMetrics.Gauges(() -> 3, () -> 7, () -> 2, 32));

    @Test
    void anEndpointIsNamedWithoutItsSessionIdSoThatEachHasOneSeries() {
        assertEquals(Endpoints.NONCES, RequestProcessor.endpointOf(Endpoints.NONCES));
        assertEquals("/lms/v1/sessions/{id}/rebindings", RequestProcessor.endpointOf(Endpoints.SessionAction.REBIND.path("AAAAAAAAAAAAAAAAAAAAAA")));
        assertEquals("other", RequestProcessor.endpointOf("/lms/v1/sessions/../../etc/passwd"));
    }

    @Test
    void whatTheServerDidShowsInTheTextFormatAndInTheDaysCounts() throws IOException {
        metrics.answered("/lms/v1/keys", 200, 2_000_000);
        metrics.rebound(5);
        metrics.licenseRefused(Rebinding.Refusal.DEVICE_LIMIT_REACHED);
        metrics.released(2, false);
        metrics.released(1, true);

        String text = text();
        assertTrue(text.contains("lms_requests_total{endpoint=\"/lms/v1/keys\",status=\"200\"} 1.0"), text);
        assertTrue(text.contains("lms_request_duration_seconds_bucket{endpoint=\"/lms/v1/keys\",le=\"0.002\"} 1"), text);
        assertTrue(text.contains("lms_rebindings_total 5.0"), text);
        assertTrue(text.contains("lms_license_refusals_total{reason=\"NOT_GENUINE\"} 0.0"), "every reason is there from the start");
        assertTrue(text.contains("lms_releases_total{by=\"operator\"} 1.0"), text);
        assertTrue(text.contains("lms_open_sessions 3.0") && text.contains("lms_live_nonces 7.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), text);
        assertEquals(Map.of(ServerMetrics.REBOUND, 5L, ServerMetrics.REFUSED + "DEVICE_LIMIT_REACHED", 1L, ServerMetrics.RELEASED_BY_DEVICE, 2L,
                ServerMetrics.RELEASED_BY_OPERATOR, 1L), metrics.todaysCounts());

        clock.advance(Duration.ofHours(1));
        assertEquals(Map.of(), metrics.todaysCounts(), "a new day (UTC) starts at 0");
        assertTrue(text().contains("lms_rebindings_total 5.0"), "the counters go on");
    }

    private String text() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
