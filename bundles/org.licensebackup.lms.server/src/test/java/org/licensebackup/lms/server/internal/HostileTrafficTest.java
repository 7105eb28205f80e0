package org.licensebackup.lms.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.lms.protocol.AnswerSignatures;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.ErrorBody;
import org.licensebackup.lms.protocol.ErrorCode;
import org.osgi.util.converter.Converters;

/**
 * What a hostile or broken client gets, spoken over raw sockets from several loopback addresses (the
 * whole of 127.0.0.0/8 is this machine's on Linux, so each is a client address of its own): stalled
 * bodies that cost their connection only, a huge declared length refused from the headers, a nonce
 * flood answered 429, a connection cap per address, and Jetty's own errors signed in the protocol's form.
 */
class HostileTrafficTest {

    @TempDir
    Path folder;

    private LicenseServerComponent server;
    private final List<Socket> held = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>(Map.of("port", 0, "database.path", folder.resolve("lms").toString()));
        values.putAll(settings);
        server = new LicenseServerComponent(null, Converters.standardConverter().convert(values).to(LicenseServerComponent.Config.class),
                H2Drivers.h2());
    }

    /** A raw answer: status, headers by lowercase name, body. */
    private record RawAnswer(int status, Map<String, String> headers, byte[] body) {

        ErrorCode error() {
            return ErrorBody.decode(body).code();
        }
    }

    @Test
    void stalledUploadsHoldTheirConnectionsOnlyAndAreAnsweredWhenTheBodyTimeoutPasses() throws Exception {
        start(Map.of("request.body.timeout.ms", 1_500, "max.threads", 8));
        // More stalled uploads than the server has threads, from several addresses
        for (int i = 0; i < 40; i++) {
            Socket stalled = connect("127.0.0." + (2 + i % 8));
            stalled.getOutputStream().write(("POST " + Endpoints.SESSIONS + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();
        }
        Thread.sleep(200);

        long started = System.nanoTime();
        RawAnswer keys = exchange("127.0.0.1", "GET " + Endpoints.KEYS + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        System.out.printf(Locale.ROOT, "keys answered in %.1f ms while 40 uploads stall%n", (System.nanoTime() - started) / 1e6);
        assertEquals(200, keys.status());
        verify(keys);

        RawAnswer timedOut = read(held.get(0));
        assertEquals(408, timedOut.status());
        assertEquals(ErrorCode.REQUEST_TIMEOUT, timedOut.error());
        verify(timedOut);
    }

    @Test
    void aBodyThatTricklesInSlowerThanTheMinimumRateIsAnswered408ByItsDeadline() throws Exception {
        // 100 bytes at 50 bytes a second at least: whole within 1 s + 2 s; it comes at about 3 bytes a second
        start(Map.of("request.body.timeout.ms", 1_000, "request.min.data.rate", 50));
        Socket trickling = connect("127.0.0.3");
        OutputStream out = trickling.getOutputStream();
        out.write(("POST " + Endpoints.SESSIONS + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread trickle = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    Thread.sleep(300);
                    out.write('x');
                    out.flush();
                }
            } catch (IOException | InterruptedException ended) {
                // the server closed the connection, as it should
            }
        });
        trickle.setDaemon(true);
        trickle.start();
        long started = System.nanoTime();

        RawAnswer answer = read(trickling);
        System.out.printf(Locale.ROOT, "a trickling body was answered after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertEquals(408, answer.status());
        assertEquals(ErrorCode.REQUEST_TIMEOUT, answer.error());
        verify(answer);
        trickle.interrupt();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedFromTheHeadersSignedWithTheErrorBody() throws Exception {
        start(Map.of());
        RawAnswer answer = exchange("127.0.0.1", "POST " + Endpoints.SESSIONS + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n");

        assertEquals(413, answer.status());
        assertEquals(ErrorCode.TOO_LARGE, answer.error());
        verify(answer);
    }

    @Test
    void jettysOwnErrorsAreSignedAndCarryTheProtocolsErrorBody() throws Exception {
        start(Map.of());
        RawAnswer badLine = exchange("127.0.0.1", "THIS IS NOT HTTP\r\n\r\n");
        assertEquals(400, badLine.status());
        assertEquals(ErrorCode.BAD_REQUEST, badLine.error());
        verify(badLine);

        RawAnswer hugeHeader = exchange("127.0.0.1", "GET " + Endpoints.KEYS + " HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(64 * 1024)
                + "\r\n\r\n");
        assertEquals(431, hugeHeader.status());
        assertEquals(ErrorCode.HEADERS_TOO_LARGE, hugeHeader.error());
        verify(hugeHeader);
    }

    @Test
    void aNonceFloodFromOneAddressIsAnswered429WithRetryAfterWhileAnotherAddressStillGetsNonces() throws Exception {
        start(Map.of("nonces.per.second.per.address", 1, "nonce.burst.per.address", 5));
        int refused = 0;
        RawAnswer lastRefusal = null;
        for (int i = 0; i < 20; i++) {
            RawAnswer answer = exchange("127.0.0.7", "POST " + Endpoints.NONCES + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            if (answer.status() == 429) {
                refused++;
                lastRefusal = answer;
            }
        }
        assertTrue(refused >= 13, "refused " + refused + " of 20");
        assertEquals(ErrorCode.TOO_MANY_REQUESTS, lastRefusal.error());
        assertTrue(Integer.parseInt(lastRefusal.headers().get("retry-after")) >= 1);
        verify(lastRefusal);

        RawAnswer other = exchange("127.0.0.8", "POST " + Endpoints.NONCES + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertEquals(200, other.status());
    }

    @Test
    void liveNoncesInAllAreCappedWith429() throws Exception {
        start(Map.of("max.live.nonces", 3));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, exchange("127.0.0." + (10 + i), nonceRequest()).status());
        }
        RawAnswer refused = exchange("127.0.0.20", nonceRequest());
        assertEquals(429, refused.status());
        assertEquals(ErrorCode.TOO_MANY_REQUESTS, refused.error());
        assertTrue(Integer.parseInt(refused.headers().get("retry-after")) > 200, refused.headers().toString());
        verify(refused);
    }

    @Test
    void connectionsOverTheCapOfOneAddressAreClosedAtOnceWhileOtherAddressesAreServed() throws Exception {
        // a header timeout far longer than the read below: only the cap closes the fifth connection in time
        start(Map.of("max.connections.per.address", 4, "request.header.timeout.ms", 60_000));
        List<Socket> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(connect("127.0.0.9"));
        }
        // Which one is over the cap is the server's order of accepting them: exactly one is closed.
        long deadline = System.nanoTime() + 10_000_000_000L;
        int closed = 0;
        while (closed == 0 && System.nanoTime() < deadline) {
            for (Socket socket : five) {
                if (endedWithin(socket, 100)) {
                    closed++;
                }
            }
        }
        for (Socket socket : five) {
            if (endedWithin(socket, 100)) {
                closed++;
            }
        }
        assertEquals(1, closed, "one connection of five from an address capped at four is closed, at once");
        assertEquals(200, exchange("127.0.0.10", "GET " + Endpoints.KEYS + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
    }

    @Test
    void connectionsThatEndedNoLongerCountAgainstTheirAddress() throws Exception {
        start(Map.of("max.connections.per.address", 4));
        // one after the other, each ended by the server before the next opens: never more than one
        // open, so none is over the cap (waiting for the end, not only the answer, keeps a busy
        // server's closes from lagging behind the next connections)
        for (int i = 0; i < 12; i++) {
            Socket socket = connect("127.0.0.11");
            socket.getOutputStream().write(("GET " + Endpoints.KEYS + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, read(socket).status(), "connection " + (i + 1));
            assertEquals(-1, socket.getInputStream().read(), "the server ends a connection: close");
            socket.close();
        }
    }

    /** Whether the server ended the connection: its end, or a reset, is seen within {@code millis}. */
    private static boolean endedWithin(Socket socket, int millis) throws IOException {
        if (socket.isClosed()) {
            return false; // counted already
        }
        socket.setSoTimeout(millis);
        try {
            if (socket.getInputStream().read() < 0) {
                socket.close();
                return true;
            }
            return false;
        } catch (java.net.SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            socket.close();
            return true;
        }
    }

    private static String nonceRequest() {
        return "POST " + Endpoints.NONCES + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }

    private void verify(RawAnswer answer) {
        AnswerSignatures.verify(answer.status(), answer.headers()::get, answer.body(), null, server.keys().signingKey());
    }

    private Socket connect(String fromAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.uri().getPort()), 5_000);
        held.add(socket);
        return socket;
    }

    private RawAnswer exchange(String fromAddress, String request) throws IOException {
        Socket socket = connect(fromAddress);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return read(socket);
    }

    /** Reads one answer: its head up to the blank line, then Content-Length bytes of body. */
    private static RawAnswer read(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("the connection ended in the answer's head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(next);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line : Arrays.asList(lines).subList(1, lines.length)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new RawAnswer(status, headers, body);
    }
}
