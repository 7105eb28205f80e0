package org.licensebackup.lms.server.internal;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operator's side of the server, on an address and port of its own (loopback by default), apart
 * from the devices' protocol so that a flood of devices does not starve it and it is never exposed
 * by the port devices reach:
 * <ul>
 * <li>{@value #LIVE}: 200 while the process serves HTTP (for a load balancer's liveness probe);</li>
 * <li>{@value #READY}: 200 when the ledger answers within {@value #READY_PATIENCE_SECONDS} s, else 503;</li>
 * <li>{@value #METRICS}: the metrics in the Prometheus text format;</li>
 * <li>{@value SupportConsole#PATH}: the support console, when an operators file is configured.</li>
 * </ul>
 */
final class OperatorServer implements AutoCloseable {

    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    static final String METRICS = "/metrics";
    static final int READY_PATIENCE_SECONDS = 2;

    private final Server server;
    private final URI uri;

    /**
     * Starts listening at {@code host}:{@code port}.
     *
     * @param console the support console, if enabled
     * @throws org.licensebackup.api.BackupRestoreException IO_ERROR when it cannot listen there
     */
    OperatorServer(String host, int port, DataSource ledger, ServerMetrics metrics, Optional<SupportConsole> console,
            RequestProcessor.FaultLog log) {
        InetAddress address = HttpLicenseServer.localAddress(host, port);
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("lms-server-operator");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.equals(LIVE)) {
                    write(response, callback, 200, "text/plain; charset=utf-8", "live\n".getBytes(StandardCharsets.UTF_8));
                } else if (path.equals(READY)) {
                    boolean ready = ledgerAnswers(ledger);
                    write(response, callback, ready ? 200 : 503, "text/plain; charset=utf-8",
                            (ready ? "ready\n" : "not ready: the ledger does not answer\n").getBytes(StandardCharsets.UTF_8));
                } else if (path.equals(METRICS)) {
                    ByteArrayOutputStream text = new ByteArrayOutputStream();
                    metrics.write(text);
                    write(response, callback, 200, ServerMetrics.contentType(), text.toByteArray());
                } else if (console.isPresent() && (path.startsWith(SupportConsole.PATH) || path.equals("/console"))) {
                    try {
                        console.get().handle(request, response, callback);
                    } catch (RuntimeException e) {
                        log.fault("the support console failed", e);
                        write(response, callback, 500, "text/plain; charset=utf-8",
                                "the support console failed; see the server's log\n".getBytes(StandardCharsets.UTF_8));
                    }
                } else {
                    write(response, callback, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                }
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // it did not start: the failure below says why
            }
            throw HttpLicenseServer.listenFailure(host, port, address, e);
        }
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        uri = URI.create("http://" + shownHost + ":" + connector.getLocalPort() + "/");
    }

    URI uri() {
        return uri;
    }

    private static boolean ledgerAnswers(DataSource ledger) {
        try (Connection connection = ledger.getConnection()) {
            return connection.isValid(READY_PATIENCE_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
