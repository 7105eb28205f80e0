package org.licensebackup.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A part of the host that says whether it serves, and why not: the device identity and each license
 * store register one, with the service property {@value #PART} naming the part, so that a host (and
 * {@code status}) can say why a part does not start without reading the framework's logs. Since 1.5.
 */
@ProviderType
public interface ReadinessService {

    /** The service property that names the part: {@value #DEVICE} or {@value #STORE}. */
    String PART = "licensebackup.part";

    /** The device identity: its key file and record. */
    String DEVICE = "device";

    /** A license store. */
    String STORE = "store";

    /** Now. */
    Readiness current();
}
