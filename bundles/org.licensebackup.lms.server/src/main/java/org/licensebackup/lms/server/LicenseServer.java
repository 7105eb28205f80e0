package org.licensebackup.lms.server;

import java.net.URI;

import org.licensebackup.lms.ServiceKeys;
import org.osgi.annotation.versioning.ProviderType;

/** A running license management server. */
@ProviderType
public interface LicenseServer {

    /** Where devices reach it: {@code http://host:port/} or {@code https://host:port/}, with the port it got. */
    URI uri();

    /** Its public keys: devices wrap backups for the first and pin the second. */
    ServiceKeys keys();
}
