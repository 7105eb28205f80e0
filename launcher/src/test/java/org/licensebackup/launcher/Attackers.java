package org.licensebackup.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients of a license server, as threads of the test's JVM, each group from loopback
 * addresses of its own (all of 127.0.0.0/8 is this machine's on Linux, so each is a client address
 * to the server), the good devices keeping 127.0.0.1: uploads that declare a body and never send it
 * (opened again as the server closes them), a flood of nonce requests, and malformed requests (a
 * request line that is no HTTP, a declared length of 10^12, headers over the limit).
 */
final class Attackers implements AutoCloseable {

    /** What the attackers saw, for the report. */
    final AtomicLong stalledOpened = new AtomicLong();
    final AtomicLong noncesIssued = new AtomicLong();
    final AtomicLong noncesRefused = new AtomicLong();
    final AtomicLong malformedAnswered = new AtomicLong();

    private final int port;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * @param stalled uploads held stalled at once, spread over 20 addresses
     */
    Attackers(int port, int stalled) {
        this.port = port;
        int addresses = 20;
        for (int a = 0; a < addresses; a++) {
            String from = "127.0.0." + (2 + a);
            int perAddress = stalled / addresses + (a < stalled % addresses ? 1 : 0);
            start("stalled-" + a, () -> holdStalled(from, perAddress));
        }
        for (int a = 0; a < 4; a++) {
            String from = "127.0.0." + (30 + a);
            start("nonce-flood-" + a, () -> floodNonces(from));
        }
        start("malformed", () -> sendMalformed("127.0.0.40"));
    }

    private void start(String name, Runnable work) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    pause(50);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    /** Keeps {@code count} connections that declared a 100-byte body and sent none; reopens those the server ends. */
    private void holdStalled(String from, int count) {
        List<Socket> mine = new ArrayList<>();
        while (running.get()) {
            mine.removeIf(Socket::isClosed);
            mine.removeIf(socket -> ended(socket));
            while (mine.size() < count && running.get()) {
                try {
                    Socket socket = connect(from);
                    socket.getOutputStream().write("POST /lms/v1/sessions HTTP/1.1\r\nHost: lms\r\nContent-Length: 100\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    mine.add(socket);
                    stalledOpened.incrementAndGet();
                } catch (IOException e) {
                    pause(20);
                }
            }
            pause(100);
        }
    }

    /** Whether the server has answered or closed a stalled connection (then it is closed here, to be opened again). */
    private static boolean ended(Socket socket) {
        try {
            socket.setSoTimeout(1);
            int read = socket.getInputStream().read();
            if (read < 0) {
                socket.close();
                return true;
            }
            socket.close(); // an answer (the 408): this one is done
            return true;
        } catch (java.net.SocketTimeoutException stillStalled) {
            return false;
        } catch (IOException e) {
            closeQuietly(socket);
            return true;
        }
    }

    private void floodNonces(String from) {
        try (Socket socket = connect(from)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            while (running.get()) {
                out.write("POST /lms/v1/nonces HTTP/1.1\r\nHost: lms\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                int status = readAnswer(in);
                if (status == 200) {
                    noncesIssued.incrementAndGet();
                } else if (status == 429) {
                    noncesRefused.incrementAndGet();
                } else {
                    return;
                }
            }
        } catch (IOException e) {
            pause(20);
        }
    }

    private void sendMalformed(String from) {
        String[] requests = {
            "THIS IS NOT HTTP\r\n\r\n",
            "POST /lms/v1/sessions HTTP/1.1\r\nHost: lms\r\nContent-Length: 1000000000000\r\n\r\n",
            "GET /lms/v1/keys HTTP/1.1\r\nHost: lms\r\nX-Padding: " + "a".repeat(64 * 1024) + "\r\n\r\n",
            "POST /lms/v1/sessions HTTP/1.1\r\nHost: lms\r\nContent-Length: 5\r\n\r\nhello",
        };
        for (String request : requests) {
            try (Socket socket = connect(from)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                if (readAnswer(socket.getInputStream()) > 0) {
                    malformedAnswered.incrementAndGet();
                }
            } catch (IOException e) {
                pause(20);
            }
        }
        pause(20);
    }

    /** Reads one answer's head and body; its status, or -1 when the connection ended first. */
    private static int readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int next = in.read();
            if (next < 0) {
                return -1;
            }
            head.append((char) next);
        }
        String text = head.toString();
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(text.split(" ")[1]);
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        sockets.add(socket);
        sockets.removeIf(Socket::isClosed);
        return socket;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // going anyway
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        synchronized (sockets) {
            sockets.forEach(Attackers::closeQuietly);
        }
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }
}
