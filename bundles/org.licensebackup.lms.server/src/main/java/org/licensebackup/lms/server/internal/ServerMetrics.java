package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import org.licensebackup.lms.Rebinding;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The server's metrics in a registry of its own (not the Prometheus client's global one: two servers
 * in one JVM, as tests run them, count apart), written in the Prometheus text format; and the day's
 * counts that the support console shows. Counts are this instance's, since it started (the day's:
 * since midnight UTC); instances that share a ledger are added up by whoever scrapes them all.
 */
final class ServerMetrics implements ServerActivity {

    /** What the gauges read when scraped, from the engine and the ledger. */
    record Gauges(IntSupplier openSessions, IntSupplier liveNonces, IntSupplier ledgerConnectionsActive, int ledgerConnectionsMax) {
    }

    /** The day's counts by name: {@code rebound}, {@code released.device}, {@code refused.REASON}. */
    static final String REBOUND = "rebound";
    static final String RELEASED_BY_DEVICE = "released.device";
    static final String RELEASED_BY_OPERATOR = "released.operator";
    static final String REFUSED = "refused.";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Counter requestRefusals;
    private final Counter rebindings;
    private final Counter licenseRefusals;
    private final Counter releases;
    private final Clock clock;
    private volatile Day today;

    private record Day(LocalDate date, Map<String, LongAdder> counts) {
    }

    ServerMetrics(Clock clock, Gauges gauges) {
        this.clock = clock;
        this.today = new Day(LocalDate.now(clock.withZone(ZoneOffset.UTC)), new ConcurrentHashMap<>());
        requests = Counter.builder().name("lms_requests_total").help("Requests answered, by endpoint and HTTP status")
                .labelNames("endpoint", "status").register(registry);
        // From 1 ms to about 33 s, doubling: a nonce takes a millisecond, a batch of 2,048 licenses seconds.
        latency = Histogram.builder().name("lms_request_duration_seconds").help("Time from a whole request to its answer, by endpoint")
                .labelNames("endpoint").classicOnly().classicExponentialUpperBounds(0.001, 2, 16).register(registry);
        requestRefusals = Counter.builder().name("lms_request_refusals_total").help("Requests refused with a protocol error, by its code")
                .labelNames("code").register(registry);
        rebindings = Counter.builder().name("lms_rebindings_total").help("Licenses re-bound to a new device (granted in a session)")
                .register(registry);
        licenseRefusals = Counter.builder().name("lms_license_refusals_total").help("Licenses refused a re-binding, by reason")
                .labelNames("reason").register(registry);
        releases = Counter.builder().name("lms_releases_total").help("Device slots freed, by a device's own release or by an operator")
                .labelNames("by").register(registry);
        GaugeWithCallback.builder().name("lms_open_sessions").help("Restore sessions live now, on every instance of the ledger")
                .callback(callback -> callback.call(gauges.openSessions().getAsInt())).register(registry);
        GaugeWithCallback.builder().name("lms_live_nonces").help("Nonces this instance issued, neither used nor expired")
                .callback(callback -> callback.call(gauges.liveNonces().getAsInt())).register(registry);
        GaugeWithCallback.builder().name("lms_ledger_connections_active").help("Connections of the ledger's pool in use")
                .callback(callback -> callback.call(gauges.ledgerConnectionsActive().getAsInt())).register(registry);
        GaugeWithCallback.builder().name("lms_ledger_connections_max").help("The most connections the ledger's pool opens")
                .callback(callback -> callback.call(gauges.ledgerConnectionsMax())).register(registry);
        JvmMemoryMetrics.builder().register(registry);
        // every label a dashboard expects is there from the start, at 0
        for (Rebinding.Refusal reason : Rebinding.Refusal.values()) {
            licenseRefusals.labelValues(reason.name());
        }
        releases.labelValues("device");
        releases.labelValues("operator");
    }

    /** Writes every metric in the Prometheus text format (version 0.0.4). */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    @Override
    public void answered(String endpoint, int status, long nanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(nanos / 1e9);
    }

    @Override
    public void requestRefused(String code) {
        requestRefusals.labelValues(code).inc();
    }

    @Override
    public void rebound(int licenses) {
        if (licenses > 0) {
            rebindings.inc(licenses);
            count(REBOUND, licenses);
        }
    }

    @Override
    public void licenseRefused(Rebinding.Refusal reason) {
        licenseRefusals.labelValues(reason.name()).inc();
        count(REFUSED + reason.name(), 1);
    }

    @Override
    public void released(int licenses, boolean byOperator) {
        if (licenses > 0) {
            releases.labelValues(byOperator ? "operator" : "device").inc(licenses);
            count(byOperator ? RELEASED_BY_OPERATOR : RELEASED_BY_DEVICE, licenses);
        }
    }

    /** Today's counts (UTC) on this instance, by name, sorted; none yet: empty. */
    Map<String, Long> todaysCounts() {
        Map<String, Long> counts = new TreeMap<>();
        day().counts().forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }

    private void count(String name, long amount) {
        day().counts().computeIfAbsent(name, key -> new LongAdder()).add(amount);
    }

    private Day day() {
        LocalDate date = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Day current = today;
        if (!current.date().equals(date)) {
            synchronized (this) {
                if (!today.date().equals(date)) {
                    today = new Day(date, new ConcurrentHashMap<>());
                }
                current = today;
            }
        }
        return current;
    }
}
