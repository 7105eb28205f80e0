package org.licensebackup.api;

import java.util.Objects;

/**
 * One license that was excluded from a backup or rejected by a restore.
 *
 * @param keyId the key ID, base64 as Windows Media DRM shows it
 * @param title the content's title, to tell the user which content is affected
 * @param reason why
 */
public record LicenseOutcome(String keyId, String title, Reason reason) {
    public LicenseOutcome {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(reason, "reason");
    }
}
