package org.licensebackup.events.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.licensebackup.api.OperationKind;
import org.licensebackup.events.OperationEvents;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.log.Logger;

class EventAdminEventsFactoryTest {

    @Test
    void aFailingEventAdminNeverFailsTheOperation() throws Exception {
        EventAdminEventsFactory factory = new EventAdminEventsFactory(config(200));
        bind(factory, "eventAdmin", failingEventAdmin());
        OperationEvents events = factory.open(OperationKind.BACKUP, "op");
        assertDoesNotThrow(() -> events.begin(Path.of("x"), 1));
    }

    @Test
    void aFailingEventAdminLeavesAWarningWithTheTopicAndTheOperation() throws Exception {
        EventAdminEventsFactory factory = new EventAdminEventsFactory(config(200));
        bind(factory, "eventAdmin", failingEventAdmin());
        List<Object[]> warnings = new ArrayList<>();
        bind(factory, "logger", warningsInto(warnings));

        factory.open(OperationKind.BACKUP, "op-7").begin(Path.of("x"), 1);

        assertEquals(1, warnings.size());
        Object[] warning = warnings.get(0);
        assertEquals("org/licensebackup/backup/BEGIN", warning[1]);
        assertEquals("op-7", warning[2]);
        assertEquals(IllegalStateException.class, warning[warning.length - 1].getClass());
    }

    @Test
    void withoutEventAdminEventsAreDropped() {
        OperationEvents events = new EventAdminEventsFactory(config(200)).open(OperationKind.RESTORE, "op");
        assertDoesNotThrow(() -> events.connecting());
    }

    private static EventAdmin failingEventAdmin() {
        return new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                throw new IllegalStateException("handler blew up");
            }

            @Override
            public void sendEvent(Event event) {
                throw new IllegalStateException("handler blew up");
            }
        };
    }

    /** Sets a reference's field as Declarative Services does. */
    private static void bind(EventAdminEventsFactory factory, String reference, Object service) throws Exception {
        Field field = EventAdminEventsFactory.class.getDeclaredField(reference);
        field.setAccessible(true);
        field.set(factory, service);
    }

    /** A Logger that keeps the arguments of each warn call (format first) and ignores the rest. */
    private static Logger warningsInto(List<Object[]> warnings) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("warn") && arguments[0] instanceof String format) {
                        List<Object> call = new ArrayList<>(List.of(format));
                        if (arguments.length > 1 && arguments[1] instanceof Object[] rest) {
                            call.addAll(List.of(rest));
                        } else {
                            call.addAll(List.of(arguments).subList(1, arguments.length));
                        }
                        warnings.add(call.toArray());
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
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

            @Override
            public int progress_step_percent() {
                return 1;
            }
        };
    }
}
