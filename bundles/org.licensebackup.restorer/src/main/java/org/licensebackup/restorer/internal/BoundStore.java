package org.licensebackup.restorer.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.licensebackup.store.LicenseStore;
import org.licensebackup.store.StoreProperties;

/**
 * The license store a component has bound now (dynamic, greedy: the highest ranking), with its name.
 * SCR binds a better store before it unbinds the one it replaces, so an unbind clears only its own.
 */
final class BoundStore {

    /** The service property by which our stores name themselves. */
    static final String NAME_PROPERTY = StoreProperties.NAME;

    record Named(LicenseStore store, String name) {
    }

    private final AtomicReference<Named> bound = new AtomicReference<>();

    void bind(LicenseStore store, Map<String, Object> properties) {
        bound.set(new Named(store, nameOf(store, properties.get(NAME_PROPERTY))));
    }

    /** The name a store gives itself, or its class. */
    static String nameOf(Object store, Object nameProperty) {
        return nameProperty != null ? nameProperty.toString() : store.getClass().getName();
    }

    void unbind(LicenseStore store) {
        bound.updateAndGet(current -> current != null && current.store() == store ? null : current);
    }

    /** The store now, or null when there is none. */
    Named now() {
        return bound.get();
    }
}
