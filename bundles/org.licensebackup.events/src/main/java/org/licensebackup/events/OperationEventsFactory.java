package org.licensebackup.events;

import org.licensebackup.api.OperationKind;
import org.osgi.annotation.versioning.ProviderType;

/** Opens the event stream of one operation. */
@ProviderType
public interface OperationEventsFactory {

    /** The events of operation {@code operationId}; use them from one thread only. */
    OperationEvents open(OperationKind kind, String operationId);
}
