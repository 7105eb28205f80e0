package org.licensebackup.events.internal;

import java.util.concurrent.TimeUnit;

import org.licensebackup.api.EventProperties;
import org.licensebackup.api.OperationKind;
import org.licensebackup.events.OperationEvents;
import org.licensebackup.events.OperationEventsFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Posts operations' events through whichever EventAdmin is there now. Posting is asynchronous
 * (postEvent), from the operation's one thread, so EventAdmin keeps their order; without an
 * EventAdmin, or when it fails, events are dropped and the operation goes on. A failure leaves a
 * warning in the log, when there is a log service.
 */
@Component(service = OperationEventsFactory.class, configurationPid = EventAdminEventsFactory.PID)
@Designate(ocd = EventAdminEventsFactory.Config.class)
public class EventAdminEventsFactory implements OperationEventsFactory {

    static final String PID = "org.licensebackup.events";

    @ObjectClassDefinition(name = "License Backup events", description = "How operations' events are posted")
    public @interface Config {
        @AttributeDefinition(name = "Progress interval (ms)",
                description = "A PROGRESS event when this long has passed since the last one, so that a slow operation shows life; 0: on every license (tests)")
        long progress_interval_ms() default 200;

        @AttributeDefinition(name = "Progress step (%)",
                description = "A PROGRESS event each time another step of this many percent of the licenses is done, however fast: "
                        + "at most 100 / step + 1 such events per operation, whatever its size; 0: the interval alone decides",
                min = "0", max = "100")
        int progress_step_percent() default 1;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    /** Where a dropped event is reported; optional, so that events work in a framework without a log service. */
    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    private volatile long progressIntervalNanos;
    private volatile int progressStepPercent;

    @Activate
    public EventAdminEventsFactory(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        progressIntervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, config.progress_interval_ms()));
        progressStepPercent = Math.max(0, Math.min(100, config.progress_step_percent()));
    }

    @Override
    public OperationEvents open(OperationKind kind, String operationId) {
        return new SequencedOperationEvents(kind, operationId, this::post,
                new ProgressRule(progressStepPercent, progressIntervalNanos), System::nanoTime);
    }

    private void post(Event event) {
        EventAdmin current = eventAdmin;
        if (current == null) {
            return;
        }
        try {
            current.postEvent(event);
        } catch (RuntimeException eventAdminFailure) {
            // An event is news for the host, never a reason to fail the user's backup: the log keeps the trace.
            Logger log = logger;
            if (log != null) {
                log.warn("EventAdmin failed to post {} (operation {}); the event is dropped: {}", event.getTopic(),
                        event.getProperty(EventProperties.OPERATION_ID), eventAdminFailure.toString(), eventAdminFailure);
            }
        }
    }
}
