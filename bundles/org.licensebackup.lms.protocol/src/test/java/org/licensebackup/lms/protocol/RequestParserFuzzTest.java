package org.licensebackup.lms.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the license server's request parser: every request body the server
 * decodes ({@link Messages}, through {@link WireReader}), whatever its bytes, decodes or fails with
 * a {@link ProtocolException}, whose code the server answers with. Anything else (a runtime
 * exception, an error, an allocation too large for the heap) is a finding. A body that decodes
 * encodes to bytes that decode to the same message again.
 *
 * <p>The first byte of an input picks the request, the rest is its body. {@code mvn test} replays
 * the committed inputs in
 * {@code src/test/resources/org/licensebackup/lms/protocol/RequestParserFuzzTestInputs/decodesAnyRequestBody/};
 * every {@code mvn verify} fuzzes for the {@code maxDuration} in a 256 MiB heap (the module pom's
 * fuzz execution); by hand, from the repository root:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl bundles/org.licensebackup.lms.protocol test -Dtest='RequestParserFuzzTest#decodesAnyRequestBody'
 * </pre>
 */
class RequestParserFuzzTest {

    /** Each request the server decodes, as a function from its body to its encoding once decoded. */
    private static final List<Function<byte[], byte[]>> REQUESTS = List.of(
            body -> Messages.OpenSession.decode(body).encode(),
            body -> Messages.ReleaseRequest.decode(body).encode(),
            body -> Messages.FileKeyRequest.decode(body).encode(),
            body -> Messages.EscrowRequest.decode(body).encode(),
            body -> Messages.LicenseBatch.decode(body).encode());

    @FuzzTest(maxDuration = "20s")
    void decodesAnyRequestBody(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Function<byte[], byte[]> request = REQUESTS.get(Byte.toUnsignedInt(input[0]) % REQUESTS.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] encoded;
        try {
            encoded = request.apply(body);
        } catch (ProtocolException refused) {
            return;
        }
        // What the server accepted, written out again, is read the same way: no field was half read.
        assertArrayEquals(encoded, request.apply(encoded));
    }
}
