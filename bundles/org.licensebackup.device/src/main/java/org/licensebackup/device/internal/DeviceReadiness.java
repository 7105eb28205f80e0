package org.licensebackup.device.internal;

import java.nio.file.Path;

import org.licensebackup.api.Readiness;
import org.licensebackup.api.ReadinessService;
import org.osgi.service.component.annotations.Component;

/**
 * Whether this device's identity serves, and why not, as {@link DeviceIdentityComponent} finds when
 * it opens the key file and record: a component that fails to activate registers no service, so it
 * tells this one, which is always there, before it fails.
 */
@Component(service = {ReadinessService.class, DeviceReadiness.class},
        property = ReadinessService.PART + "=" + ReadinessService.DEVICE)
public final class DeviceReadiness implements ReadinessService {

    private volatile Readiness current = Readiness.notStarted(DEVICE, "", "");

    void opened(Path keyFile) {
        current = Readiness.ready(DEVICE, keyFile.toString());
    }

    void failed(Path keyFile, RuntimeException why) {
        current = Readiness.failed(DEVICE, keyFile.toString(), why);
    }

    @Override
    public Readiness current() {
        return current;
    }
}
