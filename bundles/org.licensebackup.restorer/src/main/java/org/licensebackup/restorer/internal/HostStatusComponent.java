package org.licensebackup.restorer.internal;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;

import org.licensebackup.api.EventTopics;
import org.licensebackup.api.HostStatus;
import org.licensebackup.api.HostStatusService;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * The {@link HostStatusService}: the store bound now, the device, and the operations whose END
 * events it has received. Immediate, so that it hears every END from the start, not only after the
 * first operator asked.
 */
@Component(immediate = true, service = {HostStatusService.class, EventHandler.class}, property = {
        "event.topics=" + EventTopics.BACKUP_END, "event.topics=" + EventTopics.RESTORE_END,
        "event.topics=" + EventTopics.VERIFY_END, "event.topics=" + EventTopics.RELEASE_END})
public class HostStatusComponent implements HostStatusService, EventHandler {

    private final BoundStore store = new BoundStore();
    private final OperationHistory history = new OperationHistory();
    private final DeviceIdentity device;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public HostStatusComponent(@Reference DeviceIdentity device) {
        this.device = device;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(LicenseStore service, Map<String, Object> properties) {
        store.bind(service, properties);
    }

    void unbindStore(LicenseStore service) {
        store.unbind(service);
    }

    @Override
    public void handleEvent(Event event) {
        history.ended(event.getTopic(), event::getProperty, clock.instant());
    }

    @Override
    public HostStatus current() {
        BoundStore.Named now = store.now();
        OptionalLong count = OptionalLong.empty();
        String problem = "";
        if (now == null) {
            problem = "no license store is available";
        } else {
            try {
                count = OptionalLong.of(now.store().count());
            } catch (StoreException e) {
                problem = e.getMessage();
            }
        }
        return new HostStatus(now == null ? "" : now.name(), count, problem, device.deviceId(), history.recent(),
                history.lastGoodBackup(), history.fewestDevicesLeft());
    }
}
