package org.licensebackup.lms.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.RestoreFraudException;
import org.licensebackup.lms.ServiceKeys;
import org.licensebackup.lms.protocol.AnswerSignatures;
import org.licensebackup.lms.protocol.Endpoints;
import org.licensebackup.lms.protocol.ErrorBody;
import org.licensebackup.lms.protocol.ErrorCode;
import org.licensebackup.lms.protocol.Limits;
import org.licensebackup.lms.protocol.Messages;
import org.licensebackup.lms.protocol.ProtocolException;
import org.licensebackup.lms.protocol.RequestSignatures;
import org.licensebackup.lms.protocol.SignatureInput;

/**
 * Sends the protocol's requests with the JDK's HttpClient and accepts only answers that the
 * server's pinned key signed for them. A request that gets no answer, or a 5xx one, is sent again,
 * byte for byte, with exponential backoff: the same nonce or sequence number makes that safe.
 * Thread-safe.
 */
final class SignedTransport {

    private static final byte[] EMPTY = new byte[0];

    private final ClientSettings settings;
    private final ServerTrust trust;
    private final RecoveredFailures recovered;
    /** TLS trusting the configured trust store, read (and so checked) at once; null: the platform's. */
    private final SSLContext tls;
    /**
     * Made at the first request, on the thread of the operation that sends it: the JDK's HttpClient
     * takes 0.7-0.8 s to build in a fresh JVM (the platform's TLS context), which a host would
     * otherwise wait for in its first call of backup(), restore() or verify(), when the restorer
     * takes this service (measured by the product benchmark's LatencyProbe).
     */
    private volatile HttpClient http;

    SignedTransport(ClientSettings settings, ServerTrust trust, RecoveredFailures recovered) {
        this.settings = settings;
        this.trust = trust;
        this.recovered = recovered;
        this.tls = settings.trustStore().map(trustStore -> trusting(trustStore, settings.trustStorePassword())).orElse(null);
    }

    private HttpClient http() {
        HttpClient made = http;
        if (made == null) {
            synchronized (this) {
                made = http;
                if (made == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder();
                    if (tls != null) {
                        builder.sslContext(tls);
                    }
                    made = builder
                            .connectTimeout(settings.connectTimeout())
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                    http = made;
                }
            }
        }
        return made;
    }

    /** TLS that trusts the certificates in {@code trustStore}, for a server whose certificate no public CA signed. */
    private static SSLContext trusting(Path trustStore, String password) {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore certificates = KeyStore.getInstance("PKCS12");
            certificates.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(certificates);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls.truststore " + trustStore + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** What the server answered, its signature checked. */
    private record Reply(int status, byte[] body) {
    }

    /**
     * The server's keys, fetched and authenticated: with the pinned key, or on first use with the
     * key that signed them, which is then pinned.
     */
    ServiceKeys fetchKeys() {
        Reply reply = send("GET", Endpoints.KEYS, EMPTY, Map.of(), null, true);
        ServiceKeys keys = decoded(successBody(reply), Messages.KeysAnswer::decode).keys();
        trust.remember(keys);
        return keys;
    }

    /** A fresh nonce. */
    String nonce() {
        return decoded(successBody(send("POST", Endpoints.NONCES, EMPTY, Map.of(), null, false)), Messages.NonceAnswer::decode).nonce();
    }

    /**
     * Sends a signed request and returns the body of its successful answer.
     *
     * @param signedHeaders the headers that sign it (see {@code RequestSignatures.sign})
     * @param requestSignature the request's signature, which the answer must cover
     * @throws RestoreFraudException when the server says the backup is not genuine
     * @throws LmsUnavailableException for any other failure
     */
    byte[] exchange(String path, byte[] body, Map<String, String> signedHeaders, byte[] requestSignature) {
        return successBody(send("POST", path, body, signedHeaders, requestSignature, false, settings.retries()));
    }

    /**
     * A request made fresh by a nonce, which is used up even when its answer is lost: each attempt
     * gets a new nonce and is signed anew, since sending the same request again would be a replay.
     *
     * @param signedRequest signs the request for a nonce; returns its headers
     */
    byte[] exchangeWithNonce(String path, byte[] body, Function<String, Map<String, String>> signedRequest) {
        Unanswered unanswered = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            if (attempt > 0) {
                recovered.report(unanswered.getMessage() + "; sending " + path + " again with a new nonce (attempt "
                        + (attempt + 1) + " of " + (settings.retries() + 1) + ")");
                pause(attempt);
            }
            try {
                Map<String, String> headers = signedRequest.apply(nonce());
                byte[] signature = SignatureInput.parseSignature(headers.get(SignatureInput.SIGNATURE_HEADER), RequestSignatures.LABEL);
                return successBody(send("POST", path, body, headers, signature, false, 0));
            } catch (Unanswered e) {
                unanswered = e;
            }
        }
        throw unanswered;
    }

    /** No answer, or a 5xx one: the request may be tried again. */
    static final class Unanswered extends LmsUnavailableException {
        private static final long serialVersionUID = 1L;

        Unanswered(String message) {
            super(message);
        }
    }

    private Reply send(String method, String path, byte[] body, Map<String, String> headers, byte[] requestSignature, boolean keysRequest) {
        return send(method, path, body, headers, requestSignature, keysRequest, settings.retries());
    }

    private Reply send(String method, String path, byte[] body, Map<String, String> headers, byte[] requestSignature, boolean keysRequest,
            int retries) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.endpoint(path))
                .timeout(settings.requestTimeout())
                .method(method, body.length == 0 && method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : body.length == 0 ? HttpRequest.BodyPublishers.ofByteArray(body)
                        : HttpRequest.BodyPublishers.fromPublisher(new SlicedBody(body), body.length))
                .header("Content-Type", Endpoints.BINARY_MEDIA_TYPE);
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        String failure = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                recovered.report(failure + "; sending " + method + " " + path + " again (attempt " + (attempt + 1) + " of "
                        + (retries + 1) + ")");
                pause(attempt);
            }
            HttpResponse<InputStream> response;
            byte[] answer;
            try {
                response = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    answer = readAnswer(in, response.headers().firstValueAsLong("Content-Length"));
                }
            } catch (HttpTimeoutException e) {
                failure = "the license management server at " + settings.server() + " did not answer within " + settings.requestTimeout().toMillis() + " ms";
                continue;
            } catch (IOException e) {
                failure = "cannot reach the license management server at " + settings.server() + ": " + e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LmsUnavailableException("interrupted while waiting for the license management server", e);
            }
            if (answer.length > Limits.MAX_BODY_BYTES) {
                throw new LmsUnavailableException("the license management server's answer is longer than " + Limits.MAX_BODY_BYTES + " bytes");
            }
            Reply reply = verified(response, answer, requestSignature, keysRequest);
            if (reply.status() >= 500) {
                failure = "the license management server at " + settings.server() + " failed: " + ErrorBody.decode(reply.body()).message();
                continue;
            }
            if (reply.status() == 429) {
                // over a limit of unauthenticated work (nonces, sessions): nothing was done, so asking again later is safe
                failure = "the license management server at " + settings.server() + " asks to wait: " + ErrorBody.decode(reply.body()).message();
                continue;
            }
            return reply;
        }
        throw new Unanswered(failure + (retries > 0 ? " (tried " + (retries + 1) + " times)" : ""));
    }

    /**
     * The answer's body, read into an array of its declared length where it declares one within the
     * limit (reading to the end into growing buffers held it twice at the end); at most one byte over
     * the limit otherwise, which the caller refuses.
     */
    private static byte[] readAnswer(InputStream in, OptionalLong declared) throws IOException {
        if (declared.isPresent() && declared.getAsLong() >= 0 && declared.getAsLong() <= Limits.MAX_BODY_BYTES) {
            byte[] answer = new byte[(int) declared.getAsLong()];
            int read = in.readNBytes(answer, 0, answer.length);
            if (read < answer.length) {
                throw new IOException("the answer ended after " + read + " of its " + answer.length + " bytes");
            }
            return answer;
        }
        return in.readNBytes(Limits.MAX_BODY_BYTES + 1);
    }

    private Reply verified(HttpResponse<?> response, byte[] body, byte[] requestSignature, boolean keysRequest) {
        Function<String, String> header = name -> response.headers().firstValue(name).orElse(null);
        byte[] key;
        try {
            key = trust.pinnedKey().orElse(null);
            if (key == null) {
                if (!keysRequest) {
                    throw new IllegalStateException("the server's keys are fetched before any other request");
                }
                // Trust on first use: the key that signed the answer must be the signing key in it.
                key = Base64.getUrlDecoder().decode(AnswerSignatures.signerKeyId(header, requestSignature));
                if (response.statusCode() == 200 && !Arrays.equals(key, Messages.KeysAnswer.decode(body).keys().signingKey())) {
                    throw new ProtocolException(ErrorCode.NOT_AUTHENTICATED, "the keys answer is not signed by the key it announces");
                }
            }
            AnswerSignatures.verify(response.statusCode(), header, body, requestSignature, key);
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new LmsUnavailableException("the answer of the license management server at " + settings.server()
                    + " does not verify with the server's pinned key: the server's key does not match, or the answer was altered ("
                    + e.getMessage() + ")", e);
        }
        return new Reply(response.statusCode(), body);
    }

    /** A verified answer's body as its message; a body the protocol does not allow is a fault of the server. */
    static <T> T decoded(byte[] body, Function<byte[], T> decoder) {
        try {
            return decoder.apply(body);
        } catch (ProtocolException e) {
            throw new LmsUnavailableException("the license management server's answer is malformed: " + e.getMessage(), e);
        }
    }

    private static byte[] successBody(Reply reply) {
        if (reply.status() == 200) {
            return reply.body();
        }
        ErrorBody error = ErrorBody.decode(reply.body());
        if (error.code() == ErrorCode.RESTORE_FRAUD) {
            throw new RestoreFraudException(error.message());
        }
        throw new LmsUnavailableException("the license management server refused: " + error.code() + ": " + error.message());
    }

    private void pause(int attempt) {
        long millis = settings.backoff().toMillis() << Math.min(attempt - 1, 16);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LmsUnavailableException("interrupted while waiting to retry the license management server", e);
        }
    }
}
