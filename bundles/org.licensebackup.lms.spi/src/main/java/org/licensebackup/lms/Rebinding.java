package org.licensebackup.lms;

import java.util.Objects;
import java.util.Optional;

import org.licensebackup.license.KeyId;
import org.licensebackup.license.License;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the service answered for one license of a re-binding batch. Sealed: this package defines
 * every kind of answer, and callers take them apart.
 */
@ProviderType
public sealed interface Rebinding {

    /** The license the answer is about. */
    KeyId keyId();

    /**
     * The license re-bound to the session's device (its content key wrapped for that device, signed
     * by the service), with the record of use it was sent with; a license already bound to the
     * session's device comes back unchanged.
     */
    record Rebound(License license) implements Rebinding {

        public Rebound {
            Objects.requireNonNull(license, "license");
        }

        @Override
        public KeyId keyId() {
            return license.keyId();
        }
    }

    /**
     * The service would not re-bind the license.
     *
     * @param supportUrl where the user can learn more or acquire another license, as Windows Media
     *     DRM's license management service gave a URL; empty when the service has none
     */
    record Refused(KeyId keyId, Refusal refusal, String message, Optional<String> supportUrl) implements Rebinding {

        public Refused {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(supportUrl, "supportUrl");
        }
    }

    /** Why a license was not re-bound. */
    enum Refusal {
        /** The license is re-bound to as many unique devices as the service allows. */
        DEVICE_LIMIT_REACHED,
        /** Its signature does not verify, or its signer is not a trusted issuer nor the service. */
        NOT_GENUINE
    }
}
