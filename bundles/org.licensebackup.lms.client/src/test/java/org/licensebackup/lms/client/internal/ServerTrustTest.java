package org.licensebackup.lms.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.licensebackup.crypto.KeyAgreement;
import org.licensebackup.crypto.Signatures;
import org.licensebackup.lms.LmsUnavailableException;
import org.licensebackup.lms.ServiceKeys;

class ServerTrustTest {

    @TempDir
    Path folder;

    private final ServiceKeys server = keys();

    @Test
    void theFirstKeysSeenArePinnedAndSurviveARestart() {
        Path file = folder.resolve("trust").resolve("lms-server.keys");
        new ServerTrust(file, null).remember(server);

        ServerTrust again = new ServerTrust(file, null);

        assertEquals(Optional.of(server), again.knownKeys());
        assertThrows(LmsUnavailableException.class, () -> again.remember(keys()));
    }

    @Test
    void aConfiguredKeyWinsOverKeysKeptForAnotherServer() {
        Path file = folder.resolve("lms-server.keys");
        new ServerTrust(file, null).remember(server);
        ServiceKeys configured = keys();

        ServerTrust trust = new ServerTrust(file, configured.signingKey());

        assertEquals(Optional.empty(), trust.knownKeys());
        assertThrows(LmsUnavailableException.class, () -> trust.remember(server));
        trust.remember(configured);
        assertEquals(Optional.of(configured), trust.knownKeys());
    }

    @Test
    void aDamagedFileIsRefusedNotReplaced() throws Exception {
        Path file = folder.resolve("lms-server.keys");
        Files.writeString(file, "server.signing.key=not base64!\nserver.agreement.key=AAAA\n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new ServerTrust(file, null));
        assertTrue(refused.getMessage().contains(file.toString()));
        assertEquals("server.signing.key=not base64!\nserver.agreement.key=AAAA\n", Files.readString(file));
    }

    private static ServiceKeys keys() {
        return new ServiceKeys(KeyAgreement.generate().publicKey(), Signatures.generate().publicKey());
    }
}
