package org.licensebackup.api.operator;

import org.licensebackup.api.BackupRestorer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where this host stands, for an operator: the store in use, the device, how its last operations
 * ended. A service, beside {@link BackupRestorer}. Since 1.3.
 */
@ProviderType
public interface HostStatusService {

    /**
     * Now. The operations are those whose {@code END} event this service has received since it
     * started (EventAdmin delivers them asynchronously, a moment after the operation's promise).
     */
    HostStatus current();
}
