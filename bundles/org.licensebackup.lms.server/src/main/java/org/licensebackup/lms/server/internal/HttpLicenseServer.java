package org.licensebackup.lms.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DoSHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.Limits;

/**
 * The server's HTTP face: Jetty 12 core (no servlets), one handler that reads a bounded body without
 * holding a thread while it waits and hands the request to the {@link RequestProcessor}; HTTPS from
 * a PKCS12 key store when one is configured.
 *
 * <p>What keeps slow, stalled and hostile clients from starving the others, Jetty's own parts first:
 * <ul>
 * <li>a body is read asynchronously ({@code Content.Source.asByteArrayAsync}): a client that
 * declares a body and never sends it holds its connection, not a thread;</li>
 * <li>a connection waits for a request's headers {@code request.header.timeout.ms} and for each
 * piece of its body {@code request.body.timeout.ms}, both well under {@code idle.timeout.ms}, which
 * applies while the server works on a request; a body must arrive whole by a deadline of
 * {@code request.body.timeout.ms} plus its length at {@code request.min.data.rate}, so one that
 * trickles in is refused too (Jetty 12.1's {@code MinimumDataRateHandler} divides the bytes of all
 * requests by one request's time, so it does not see one slow body among others);</li>
 * <li>Jetty's {@link NetworkConnectionLimit} caps the connections in all (past it, new ones wait in
 * the accept backlog), and {@link ClientAddressLimit} those of one client address;</li>
 * <li>Jetty's {@link DoSHandler} (a leaking bucket per client address) limits nonce requests, the
 * only unauthenticated work that leaves state; the engine limits live nonces in all and sessions
 * per device;</li>
 * <li>a declared {@code Content-Length} over the protocol's limit is refused from the headers, at
 * once; bodies being read share a memory budget;</li>
 * <li>Jetty's own errors (a malformed request line, headers over the limit) go through
 * {@link ProtocolErrorHandler}: signed, with the protocol's error body, one debug line in the log.</li>
 * </ul>
 * Not {@code ThreadLimitHandler} (CVE-2024-8184), and not {@code QoSHandler}: it bounds requests in
 * the handler, and requests whose bodies stall would hold its permits.
 */
final class HttpLicenseServer implements AutoCloseable {

    /**
     * How much a connection and a client address may ask of the server.
     *
     * @param headerTimeoutMillis how long a connection may wait for a request's headers, between
     *     requests included
     * @param bodyTimeoutMillis how long a request's body may stay silent
     * @param minDataRate the slowest a body may arrive, in bytes per second (0: any)
     * @param maxConnections connections in all
     * @param maxConnectionsPerAddress connections of one client address
     * @param noncesPerSecondPerAddress nonces one client address may take each second, on average
     * @param nonceBurstPerAddress and at once
     * @param bodyBudgetBytes the bytes all bodies being read may hold together
     */
    record ConnectionLimits(long headerTimeoutMillis, long bodyTimeoutMillis, long minDataRate, int maxConnections,
            int maxConnectionsPerAddress, int noncesPerSecondPerAddress, int nonceBurstPerAddress, long bodyBudgetBytes) {

        ConnectionLimits {
            positive("request.header.timeout.ms", headerTimeoutMillis);
            positive("request.body.timeout.ms", bodyTimeoutMillis);
            if (minDataRate < 0) {
                throw new IllegalArgumentException("request.min.data.rate must not be negative, not " + minDataRate);
            }
            positive("max.connections", maxConnections);
            positive("max.connections.per.address", maxConnectionsPerAddress);
            positive("nonces.per.second.per.address", noncesPerSecondPerAddress);
            positive("nonce.burst.per.address", nonceBurstPerAddress);
            if (bodyBudgetBytes < Limits.MAX_BODY_BYTES) {
                throw new IllegalArgumentException("request.body.budget.mb must hold one largest body, " + Limits.MAX_BODY_BYTES / (1024 * 1024)
                        + " MiB, at least");
            }
        }

        private static void positive(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be positive, not " + value);
            }
        }
    }

    /**
     * @param host the interface to listen on
     * @param port the port, 0 for any free one
     * @param keyStore a PKCS12 key store for HTTPS, or empty for plain HTTP
     * @param idleTimeoutMillis how long a connection may stay silent while the server works on its request
     * @param maxThreads the most requests served at once
     */
    record Settings(String host, int port, Optional<Path> keyStore, String keyStorePassword, long idleTimeoutMillis, int maxThreads,
            ConnectionLimits limits) {
        Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(limits, "limits");
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

    /**
     * Starts listening.
     *
     * @throws BackupRestoreException IO_ERROR when it cannot listen where it is told: the port is
     *     taken, the host is no address of this machine, or the key store cannot be read
     * @throws IllegalArgumentException when the host is not a name or address at all
     */
    HttpLicenseServer(Settings settings, RequestProcessor processor, RequestProcessor.FaultLog log) {
        InetAddress address = localAddress(settings.host(), settings.port());
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
                throw ServerStarts.environment("tls.keystore " + keyStore.toAbsolutePath() + " cannot be read");
            }
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(keyStore.toAbsolutePath().toString());
            tls.setKeyStoreType("PKCS12");
            tls.setKeyStorePassword(settings.keyStorePassword());
            connector = new ServerConnector(server, tls, plain);
        } else {
            connector = new ServerConnector(server, plain);
        }
        ConnectionLimits limits = settings.limits();
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeoutMillis());
        connector.addEventListener(new ClientAddressLimit(limits.maxConnectionsPerAddress(), limits.headerTimeoutMillis(), log, threads));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        ErrorAnswers answers = new ErrorAnswers(processor, log);
        server.setErrorHandler(new ProtocolErrorHandler(answers));
        ProtocolHandler protocol = new ProtocolHandler(processor, answers, threads, settings.idleTimeoutMillis(), limits);
        DoSHandler nonces = new DoSHandler(protocol, DoSHandler.ID_FROM_REMOTE_ADDRESS,
                new DoSHandler.LeakingBucketTrackerFactory(limits.noncesPerSecondPerAddress(), limits.nonceBurstPerAddress(),
                        Duration.ofSeconds(Math.max(1, limits.nonceBurstPerAddress() / limits.noncesPerSecondPerAddress() + 1))),
                (request, response, callback) -> {
                    answers.tooMany(request, response, callback, "more than " + limits.noncesPerSecondPerAddress()
                            + " nonces a second from " + Request.getRemoteAddr(request), 1);
                    return true;
                },
                limits.maxConnections());
        nonces.includePath(Endpoints.NONCES);
        server.setHandler(nonces);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly();
            throw listenFailure(settings.host(), settings.port(), address, e);
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

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // it did not start: what failed is reported by the caller
        }
    }

    /**
     * The address {@code host} names, which must be one of this machine's (or the wildcard).
     *
     * @throws IllegalArgumentException when it is no host name or address
     * @throws BackupRestoreException IO_ERROR when it is not an address of this machine
     */
    static InetAddress localAddress(String host, int port) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: " + host + " is not a host name or address this machine can resolve");
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress() || address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = true; // the bind below says what is wrong, if anything
        }
        if (!local) {
            throw ServerStarts.environment("cannot listen on " + host + ":" + port + ": " + host
                    + " is not an address of this machine (give --host one of its own, or 0.0.0.0 for all)");
        }
        return address;
    }

    static RuntimeException listenFailure(String host, int port, InetAddress address, Exception e) {
        String where = host + ":" + port;
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        if (cause instanceof BindException bind) {
            String why = String.valueOf(bind.getMessage()).toLowerCase(Locale.ROOT);
            if (why.contains("in use")) {
                return ServerStarts.environment("cannot listen on " + where + ": the port is in use by another process"
                        + " (stop it, or give another --port; 0 takes any free one)");
            }
            if (why.contains("assign") || why.contains("not available")) {
                return ServerStarts.environment("cannot listen on " + where + ": " + address.getHostAddress()
                        + " is not an address of this machine");
            }
            if (why.contains("permission") || why.contains("denied")) {
                return ServerStarts.environment("cannot listen on " + where + ": this user may not open that port"
                        + " (ports under 1024 need privileges)");
            }
        }
        return ServerStarts.environment("cannot listen on " + where + ": " + cause.getMessage());
    }

    /**
     * Caps the connections of one client address: one over the cap is closed as soon as it opens.
     * It also gives each new connection the header timeout, which {@link ProtocolHandler} moves to
     * the body timeout and back as requests come and go.
     */
    static final class ClientAddressLimit implements Connection.Listener {

        private final int maxPerAddress;
        private final long headerTimeoutMillis;
        private final RequestProcessor.FaultLog log;
        private final Executor closer;
        private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
        /**
         * The address each open connection was counted for: a closed socket no longer tells its
         * peer's address, so a count taken back by asking it again was never taken back, and once
         * an address had opened the cap's number of connections in all, each new one was closed.
         */
        private final ConcurrentHashMap<Connection, InetAddress> countedFor = new ConcurrentHashMap<>();

        ClientAddressLimit(int maxPerAddress, long headerTimeoutMillis, RequestProcessor.FaultLog log, Executor closer) {
            this.maxPerAddress = maxPerAddress;
            this.headerTimeoutMillis = headerTimeoutMillis;
            this.log = log;
            this.closer = closer;
        }

        @Override
        public void onOpened(Connection connection) {
            EndPoint endPoint = connection.getEndPoint();
            endPoint.setIdleTimeout(headerTimeoutMillis);
            InetAddress address = addressOf(endPoint);
            if (address == null) {
                return;
            }
            countedFor.put(connection, address);
            if (open.merge(address, 1, Integer::sum) > maxPerAddress) {
                log.refused("closed a connection from " + address.getHostAddress() + ": it has " + maxPerAddress + " open already");
                // once it is open: closed while it opens, its socket stays open
                closer.execute(connection::close);
            }
        }

        @Override
        public void onClosed(Connection connection) {
            InetAddress address = countedFor.remove(connection);
            if (address != null) {
                open.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
            }
        }

        /** Connections open now, by all addresses. */
        int open() {
            return open.values().stream().mapToInt(Integer::intValue).sum();
        }

        private static InetAddress addressOf(EndPoint endPoint) {
            return endPoint.getRemoteSocketAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
        }
    }

    /** Writes the protocol's signed error answers for the handlers and the error handler. */
    static final class ErrorAnswers {

        private final RequestProcessor processor;
        private final RequestProcessor.FaultLog log;

        ErrorAnswers(RequestProcessor processor, RequestProcessor.FaultLog log) {
            this.processor = processor;
            this.log = log;
        }

        /** Refuses a request from what is known of it so far; the connection is closed after the answer when {@code close}. */
        void refuse(Request request, Response response, Callback callback, ErrorCode code, String message, boolean close) {
            log.refused(code + " " + code.httpStatus() + " to " + Request.getRemoteAddr(request) + " " + request.getMethod() + " "
                    + request.getHttpURI().getPath() + ": " + message);
            if (close) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            write(response, callback, processor.refuse(code, message, headers(request)));
        }

        void tooMany(Request request, Response response, Callback callback, String message, long retryAfterSeconds) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
            refuse(request, response, callback, ErrorCode.TOO_MANY_REQUESTS, message, false);
        }

        static Function<String, String> headers(Request request) {
            return name -> request.getHeaders().get(name);
        }

        static void write(Response response, Callback callback, RequestProcessor.Answer answer) {
            response.setStatus(answer.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.mediaType());
            answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
            response.write(true, ByteBuffer.wrap(answer.body()), callback);
        }
    }

    /**
     * Jetty's own error answers (a request line or headers it cannot parse, over its limits, a
     * failure of the handler) in the protocol's form: signed, with the error body, one debug line.
     */
    static final class ProtocolErrorHandler implements Request.Handler {

        private final ErrorAnswers answers;

        ProtocolErrorHandler(ErrorAnswers answers) {
            this.answers = answers;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer given ? given : 500;
            Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
            ErrorCode code = codeFor(status);
            answers.refuse(request, response, callback, code, message == null ? "HTTP " + status : message.toString(), true);
            return true;
        }

        static ErrorCode codeFor(int status) {
            for (ErrorCode code : ErrorCode.values()) {
                if (code.httpStatus() == status && code != ErrorCode.MALFORMED_BODY && code != ErrorCode.UNKNOWN_SESSION
                        && code != ErrorCode.OUT_OF_ORDER && code != ErrorCode.SESSION_COMMITTED && code != ErrorCode.REPLAYED) {
                    return code;
                }
            }
            return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        }
    }

    /** Reads each request's body up to the protocol's limit without holding a thread, and writes the processor's answer. */
    private static final class ProtocolHandler extends Handler.Abstract.NonBlocking {

        private final RequestProcessor processor;
        private final ErrorAnswers answers;
        private final Executor workers;
        private final long idleTimeoutMillis;
        private final ConnectionLimits limits;
        private final AtomicLong bodyBudget;

        ProtocolHandler(RequestProcessor processor, ErrorAnswers answers, Executor workers, long idleTimeoutMillis,
                ConnectionLimits limits) {
            this.processor = processor;
            this.answers = answers;
            this.workers = workers;
            this.idleTimeoutMillis = idleTimeoutMillis;
            this.limits = limits;
            this.bodyBudget = new AtomicLong(limits.bodyBudgetBytes());
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long declared = request.getLength();
            if (declared > Limits.MAX_BODY_BYTES) {
                // From the headers alone: the body is never read, and the connection goes with the answer.
                answers.refuse(request, response, callback, ErrorCode.TOO_LARGE, "a body of " + declared + " bytes; at most "
                        + Limits.MAX_BODY_BYTES, true);
                return true;
            }
            long reserved = declared >= 0 ? declared : Limits.MAX_BODY_BYTES;
            if (bodyBudget.addAndGet(-reserved) < 0) {
                bodyBudget.addAndGet(reserved);
                answers.refuse(request, response, callback, ErrorCode.UNAVAILABLE, "the server reads as many bodies as it holds; try again",
                        true);
                return true;
            }
            EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            endPoint.setIdleTimeout(limits.bodyTimeoutMillis());
            Callback done = Callback.from(callback, () -> endPoint.setIdleTimeout(limits.headerTimeoutMillis()));
            // Past the deadline the connection may be silent no longer: Jetty fails the read as it
            // fails a silent one, and the request is answered 408.
            Scheduler.Task deadline = request.getComponents().getScheduler().schedule(() -> endPoint.setIdleTimeout(1),
                    bodyDeadlineMillis(reserved), TimeUnit.MILLISECONDS);
            Content.Source.asByteArrayAsync(request, Limits.MAX_BODY_BYTES).whenComplete((body, failure) -> {
                // at once, on the thread that ended the read: the deadline's 1 ms, left in place until a
                // worker (late on a busy machine) took the body, ended the connection again, idle, before
                // the 408 was written
                deadline.cancel();
                endPoint.setIdleTimeout(idleTimeoutMillis);
            }).whenCompleteAsync((body, failure) -> {
                bodyBudget.addAndGet(reserved);
                if (failure != null) {
                    refuseBody(request, response, done, failure);
                    return;
                }
                String method = request.getMethod().toUpperCase(Locale.ROOT);
                RequestProcessor.Answer answer = processor.process(method, request.getHttpURI().getPath(), Request.getRemoteAddr(request),
                        ErrorAnswers.headers(request), body);
                answer.retryAfterSeconds().ifPresent(seconds -> response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds)));
                ErrorAnswers.write(response, done, answer);
            }, workers);
            return true;
        }

        /** How long a body of {@code length} bytes may take: the body timeout, and its length at the minimum rate. */
        private long bodyDeadlineMillis(long length) {
            return limits.bodyTimeoutMillis() + (limits.minDataRate() > 0 ? length * 1000 / limits.minDataRate() : 0);
        }

        private void refuseBody(Request request, Response response, Callback callback, Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof TimeoutException || cause.getCause() instanceof TimeoutException) {
                answers.refuse(request, response, callback, ErrorCode.REQUEST_TIMEOUT, "the body did not arrive in time (it stalled for "
                        + limits.bodyTimeoutMillis() + " ms, or came slower than " + limits.minDataRate() + " bytes a second)", true);
            } else if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
                    && String.valueOf(cause.getMessage()).contains("too large")) {
                answers.refuse(request, response, callback, ErrorCode.TOO_LARGE, "a body over " + Limits.MAX_BODY_BYTES + " bytes", true);
            } else if (cause instanceof IOException || cause instanceof UncheckedIOException) {
                answers.refuse(request, response, callback, ErrorCode.BAD_REQUEST, "the body could not be read: " + cause.getMessage(), true);
            } else {
                answers.refuse(request, response, callback, ErrorCode.BAD_REQUEST, "the body could not be read: " + cause, true);
            }
        }
    }
}
