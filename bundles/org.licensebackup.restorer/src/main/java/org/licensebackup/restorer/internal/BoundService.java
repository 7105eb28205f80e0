package org.licensebackup.restorer.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.licensebackup.store.StoreProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The services of one type that DS has bound to a component's dynamic reference of multiple
 * cardinality: the one way the restorer's components know the current license store and license
 * management service. {@link #now()} gives the one with the highest ranking, and an operation, or a
 * status, reads it once when it starts and keeps it, so that one bound meanwhile serves the next.
 *
 * <p>Why every bound service and not the one a greedy reference holds: the framework takes a service
 * out of its registry before it tells the listeners that it is going, one after the other, so a host
 * that hears first (or watches the registry from another thread) and starts an operation at once would
 * find that SCR has not unbound it yet. {@link #now()} passes over a service the registry no longer
 * lists, and the next one serves (StoreSwapIT shows it).
 */
final class BoundService<S> {

    /** The service property by which our stores name themselves. */
    static final String NAME_PROPERTY = StoreProperties.NAME;

    record Named<S>(S service, String name) {
    }

    private record Binding<S>(ServiceReference<S> reference, S service) {
    }

    /** Highest ranking first, then the oldest, as {@link ServiceReference#compareTo} orders them. */
    private static final Comparator<Binding<?>> BEST_FIRST = (a, b) -> b.reference().compareTo(a.reference());

    private final List<Binding<S>> bound = new CopyOnWriteArrayList<>();
    private final Predicate<ServiceReference<S>> registered;

    /** @param context where {@link #now()} checks that a bound service is still registered */
    BoundService(BundleContext context) {
        this(reference -> stillRegistered(context, reference));
    }

    /** @param registered whether the framework still lists a service (for tests without a framework) */
    BoundService(Predicate<ServiceReference<S>> registered) {
        this.registered = registered;
    }

    void bind(S service, ServiceReference<S> reference) {
        bound.add(new Binding<>(reference, service));
    }

    /** SCR may bind a service again before it unbinds it (a property changed): only that binding goes. */
    void unbind(S service, ServiceReference<S> reference) {
        bound.remove(new Binding<>(reference, service));
    }

    /** The registered service with the highest ranking now, with its name, or null when there is none. */
    Named<S> now() {
        return bound.stream().sorted(BEST_FIRST).filter(binding -> registered.test(binding.reference())).findFirst()
                .map(binding -> new Named<>(binding.service(),
                        nameOf(binding.service(), binding.reference().getProperty(NAME_PROPERTY))))
                .orElse(null);
    }

    /** The name a service gives itself, or its class. */
    static String nameOf(Object service, Object nameProperty) {
        return nameProperty != null ? nameProperty.toString() : service.getClass().getName();
    }

    private static boolean stillRegistered(BundleContext context, ServiceReference<?> reference) {
        try {
            ServiceReference<?>[] listed = context.getAllServiceReferences(null,
                    "(" + Constants.SERVICE_ID + "=" + reference.getProperty(Constants.SERVICE_ID) + ")");
            return listed != null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("a service ID is a number", e);
        } catch (IllegalStateException stopping) {
            // this bundle is stopping: what SCR still has bound is all there is
            return true;
        }
    }
}
