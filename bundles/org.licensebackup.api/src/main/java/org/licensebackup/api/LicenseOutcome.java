package org.licensebackup.api;

import java.util.Objects;

/**
 * One license that was excluded from a backup or rejected by a restore.
 *
 * @param keyId the key ID, base64 as Windows Media DRM shows it
 * @param title the content's title, to tell the user which content is affected
 * @param reason why
 * @param supportUrl where the user can learn more or acquire another license, as the license
 *     management service gave it with a refusal (Windows Media DRM gave a URL with its device-limit
 *     refusals); empty when there is none
 */
public record LicenseOutcome(String keyId, String title, Reason reason, String supportUrl) {

    public LicenseOutcome {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(supportUrl, "supportUrl");
    }

    /** An outcome without a support link. */
    public LicenseOutcome(String keyId, String title, Reason reason) {
        this(keyId, title, reason, "");
    }
}
