package org.licensebackup.restorer.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgi.service.log.Logger;

/** An OSGi Logger for tests: each call at a level, with its arguments; every level is enabled. */
final class RecordingLogger {

    /** One call: its level (the method's name: info, warn...) and its arguments, the format first. */
    record Entry(String level, List<Object> arguments) {
    }

    private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "audit");

    final List<Entry> entries = new ArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
            (proxy, method, arguments) -> {
                if (LEVELS.contains(method.getName()) && arguments != null && arguments[0] instanceof String) {
                    List<Object> flat = new ArrayList<>();
                    for (Object argument : arguments) {
                        // Logger's varargs methods get their arguments as one array.
                        flat.addAll(argument instanceof Object[] many ? Arrays.asList(many) : List.of(argument));
                    }
                    entries.add(new Entry(method.getName(), flat));
                }
                return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });
}
