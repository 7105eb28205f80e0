package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.Limits;

/**
 * The server's HTTP face: Jetty 12 core (no servlets), one handler that reads a bounded body and
 * hands the request to the {@link RequestProcessor}; HTTPS from a PKCS12 key store when one is
 * configured.
 */
final class HttpLicenseServer implements AutoCloseable {

    /**
     * @param host the interface to listen on
     * @param port the port, 0 for any free one
     * @param keyStore a PKCS12 key store for HTTPS, or empty for plain HTTP
     * @param idleTimeoutMillis how long a connection may stay silent, mid-request included
     * @param maxThreads the most requests served at once
     */
    record Settings(String host, int port, Optional<Path> keyStore, String keyStorePassword, long idleTimeoutMillis, int maxThreads) {
        Settings {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
            }
            if (idleTimeoutMillis < 1) {
                throw new IllegalArgumentException("idle.timeout.ms must be positive");
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final boolean secure;
    private final URI uri;

    /** Starts listening. @throws IllegalStateException when it cannot (port taken, bad key store) */
    HttpLicenseServer(Settings settings, RequestProcessor processor) {
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, settings.maxThreads()));
        threads.setName("lms-server-http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        HttpConnectionFactory plain = new HttpConnectionFactory(http);
        secure = settings.keyStore().isPresent();
        if (secure) {
            Path keyStore = settings.keyStore().get();
            if (!Files.isReadable(keyStore)) {
                throw new IllegalStateException("tls.keystore " + keyStore + " cannot be read");
            }
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.toAbsolutePath().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(settings.keyStorePassword());
            connector = new ServerConnector(server, tls, plain);
        } else {
            connector = new ServerConnector(server, plain);
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeoutMillis());
        server.addConnector(connector);
        server.setHandler(new ProtocolHandler(processor));
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the license management server cannot listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        // Kept from the start: a stopped connector no longer knows its port.
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host(); // an IPv6 address
        uri = URI.create((secure ? "https" : "http") + "://" + host + ":" + connector.getLocalPort() + "/");
    }

    /** Where it listens, with the port it got. */
    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the license management server did not stop cleanly", e);
        }
    }

    /** How much of a body over the limit is read and dropped before the 413; past it, the connection is cut. */
    private static final long MAX_DISCARDED_BYTES = 4L * Limits.MAX_BODY_BYTES;

    private static void discard(InputStream in, long atMost) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long discarded = 0;
        int read;
        while (discarded < atMost && (read = in.read(buffer, 0, (int) Math.min(buffer.length, atMost - discarded))) >= 0) {
            discarded += read;
        }
    }

    /** Reads each request's body up to the protocol's limit, and writes the processor's answer. */
    private static final class ProtocolHandler extends Handler.Abstract {

        private final RequestProcessor processor;

        ProtocolHandler(RequestProcessor processor) {
            this.processor = processor;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            java.util.function.Function<String, String> header = name -> request.getHeaders().get(name);
            RequestProcessor.Answer answer;
            try (InputStream in = Content.Source.asInputStream(request)) {
                // One byte past the limit tells a body over it without reading the rest into memory.
                byte[] body = request.getLength() > Limits.MAX_BODY_BYTES ? null : in.readNBytes(Limits.MAX_BODY_BYTES + 1);
                if (body == null || body.length > Limits.MAX_BODY_BYTES) {
                    // Read on to a bound, discarding: a client that sends its whole body before it
                    // reads the answer (the JDK's does) then gets the 413 instead of a reset connection.
                    discard(in, MAX_DISCARDED_BYTES);
                    answer = processor.refuse(ErrorCode.TOO_LARGE, "a body over " + Limits.MAX_BODY_BYTES + " bytes", header);
                } else {
                    answer = processor.process(method.toUpperCase(Locale.ROOT), path, header, body);
                }
            }
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.mediaType());
            answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
            return true;
        }
    }
}
