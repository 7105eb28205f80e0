package org.licensebackup.schedule.internal;

import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Enables {@link BackupHealthCheck} when this bundle's optional import of Felix Health Checks' API is
 * wired; without it the health check is never loaded, and the schedules run as they do anyway.
 */
@Component(immediate = true, service = {})
public class HealthCheckEnabler {

    static final String HEALTH_CHECK_PACKAGE = "org.apache.felix.hc.api";

    @Activate
    void activate(ComponentContext context) {
        BundleWiring wiring = context.getBundleContext().getBundle().adapt(BundleWiring.class);
        boolean wired = wiring != null && wiring.getRequiredWires("osgi.wiring.package").stream()
                .anyMatch(wire -> HEALTH_CHECK_PACKAGE.equals(wire.getCapability().getAttributes().get("osgi.wiring.package")));
        if (wired) {
            context.enableComponent(BackupHealthCheck.class.getName());
        }
    }
}
