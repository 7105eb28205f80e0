package org.licensebackup.restorer.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.licensebackup.api.BackupRestoreException;
import org.licensebackup.api.ErrorCode;
import org.licensebackup.api.EventTopics;
import org.licensebackup.api.operator.HostStatus;
import org.licensebackup.api.operator.HostStatusService;
import org.licensebackup.api.operator.LicenseCatalog;
import org.licensebackup.api.operator.LicenseQuery;
import org.licensebackup.api.operator.LicenseSummary;
import org.licensebackup.device.DeviceIdentity;
import org.licensebackup.device.DeviceRecord;
import org.licensebackup.license.License;
import org.licensebackup.policy.RightsPolicy;
import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * What an operator sees, as two services: {@link LicenseCatalog}, the store's licenses as the rights
 * policy sees them on this device, and {@link HostStatusService}, the store DS has bound now (as an operation takes it), the device and
 * the operations whose END events it has received. The store is optional, so that a host without
 * one, or with one that does not open, is told so ({@code STORE_UNAVAILABLE}) rather than finding no
 * service. Immediate, so that it hears every END from the start, not only after the first operator asked.
 */
@Component(immediate = true, service = {LicenseCatalog.class, HostStatusService.class, EventHandler.class}, property = {
        "event.topics=" + EventTopics.BACKUP_END, "event.topics=" + EventTopics.RESTORE_END,
        "event.topics=" + EventTopics.VERIFY_END, "event.topics=" + EventTopics.RELEASE_END})
public class OperatorViewComponent implements LicenseCatalog, HostStatusService, EventHandler {

    private final BoundService<LicenseStore> store;
    private final OperationHistory history = new OperationHistory();
    private final DeviceIdentity device;
    private final DeviceRecord record;
    private final RightsPolicy policy;
    private final Clock clock;

    @Activate
    public OperatorViewComponent(BundleContext context, @Reference DeviceIdentity device, @Reference DeviceRecord record,
            @Reference RightsPolicy policy) {
        this(new BoundService<>(context), device, record, policy, Clock.systemUTC());
    }

    /** @param store where the stores DS binds are kept, and the current one taken */
    OperatorViewComponent(BoundService<LicenseStore> store, DeviceIdentity device, DeviceRecord record, RightsPolicy policy,
            Clock clock) {
        this.store = store;
        this.device = device;
        this.record = record;
        this.policy = policy;
        this.clock = clock;
    }

    @Reference(name = "store", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(LicenseStore service, ServiceReference<LicenseStore> reference) {
        store.bind(service, reference);
    }

    void unbindStore(LicenseStore service, ServiceReference<LicenseStore> reference) {
        store.unbind(service, reference);
    }

    @Override
    public void handleEvent(Event event) {
        history.ended(event.getTopic(), event::getProperty, clock.instant());
    }

    @Override
    public HostStatus current() {
        BoundService.Named<LicenseStore> now = store.now();
        OptionalLong count = OptionalLong.empty();
        String problem = "";
        if (now == null) {
            problem = "no license store is available";
        } else {
            try {
                count = OptionalLong.of(now.service().count());
                problem = StoreLoss.of(record, now.name(), count.getAsLong()).orElse("");
            } catch (StoreException e) {
                problem = e.getMessage();
            }
        }
        return new HostStatus(now == null ? "" : now.name(), count, problem, device.deviceId(), history.recent(),
                history.lastGoodBackup(), history.fewestDevicesLeft());
    }

    @Override
    public Stream<LicenseSummary> licenses(LicenseQuery query) {
        if (query == null) {
            throw new BackupRestoreException(ErrorCode.BAD_DATA, "query is null");
        }
        BoundService.Named<LicenseStore> now = store.now();
        if (now == null) {
            throw new BackupRestoreException(ErrorCode.STORE_UNAVAILABLE, "no license store is available");
        }
        String deviceId = device.deviceId();
        Instant at = clock.instant();
        Stream<License> licenses;
        try {
            licenses = now.service().licenses();
        } catch (StoreException e) {
            throw new BackupRestoreException(ErrorCode.IO_ERROR, "license store " + now.name() + ": " + e.getMessage(), e);
        }
        String storeName = now.name();
        return StreamSupport.stream(new StoreFailures<>(licenses.spliterator(), storeName), false)
                .onClose(licenses::close)
                .map(license -> Summaries.of(license, policy.binding(license, deviceId, deviceId), at))
                .filter(query::matches);
    }

    /**
     * The store's licenses, with a store that fails while they are read reported as the API says
     * ({@code IO_ERROR}), not as the store SPI's exception, which a caller of the API cannot know.
     */
    private static final class StoreFailures<T> implements Spliterator<T> {
        private final Spliterator<T> licenses;
        private final String storeName;

        StoreFailures(Spliterator<T> licenses, String storeName) {
            this.licenses = licenses;
            this.storeName = storeName;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            try {
                return licenses.tryAdvance(action);
            } catch (StoreException e) {
                throw new BackupRestoreException(ErrorCode.IO_ERROR, "license store " + storeName + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Spliterator<T> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return licenses.estimateSize();
        }

        @Override
        public int characteristics() {
            return licenses.characteristics() & ~(Spliterator.SIZED | Spliterator.SUBSIZED);
        }
    }
}
