package org.licensebackup.lms.server.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A component configuration annotation with the given values and the defaults otherwise, as SCR makes it. */
final class Configs {

    private Configs() {
    }

    /** @param values by method name ({@code database_path}, not {@code database.path}) */
    static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            return switch (method.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values;
                case "hashCode" -> values.hashCode();
                case "equals" -> proxy == args[0];
                default -> throw new IllegalStateException("no value for " + method.getName());
            };
        }));
    }
}
