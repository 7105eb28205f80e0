package org.licensebackup.events.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.nio.file.Path;

import org.licensebackup.api.OperationKind;
import org.licensebackup.events.OperationEvents;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

class EventAdminEventsFactoryTest {

    @Test
    void aFailingEventAdminNeverFailsTheOperation() throws Exception {
        EventAdminEventsFactory factory = new EventAdminEventsFactory(config(200));
        bind(factory, new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                throw new IllegalStateException("handler blew up");
            }

            @Override
            public void sendEvent(Event event) {
                throw new IllegalStateException("handler blew up");
            }
        });
        OperationEvents events = factory.open(OperationKind.BACKUP, "op");
        assertDoesNotThrow(() -> events.begin(Path.of("x"), 1));
    }

    @Test
    void withoutEventAdminEventsAreDropped() {
        OperationEvents events = new EventAdminEventsFactory(config(200)).open(OperationKind.RESTORE, "op");
        assertDoesNotThrow(() -> events.connecting());
    }

    private static void bind(EventAdminEventsFactory factory, EventAdmin eventAdmin) throws Exception {
        Field field = EventAdminEventsFactory.class.getDeclaredField("eventAdmin");
        field.setAccessible(true);
        field.set(factory, eventAdmin);
    }

    private static EventAdminEventsFactory.Config config(long intervalMs) {
        return new EventAdminEventsFactory.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EventAdminEventsFactory.Config.class;
            }

            @Override
            public long progress_interval_ms() {
                return intervalMs;
            }
        };
    }
}
