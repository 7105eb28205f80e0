package org.licensebackup.restorer.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * A service reference as the framework gives one, without a framework: a service ID in the order of
 * registration, a ranking, a store's name; ordered as {@link ServiceReference#compareTo} says.
 */
final class RankedReference<S> implements ServiceReference<S> {

    private static final AtomicLong IDS = new AtomicLong();

    private final Map<String, Object> properties;

    private RankedReference(Map<String, Object> properties) {
        this.properties = properties;
    }

    /** A store named {@code name}, registered now with {@code ranking}. */
    static <S> RankedReference<S> store(String name, int ranking) {
        return new RankedReference<>(Map.of(Constants.SERVICE_ID, IDS.incrementAndGet(), Constants.SERVICE_RANKING, ranking,
                BoundService.NAME_PROPERTY, name));
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return properties.keySet().toArray(String[]::new);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return true;
    }

    /** Higher ranking first; of equal rankings, the older (lower ID). */
    @Override
    public int compareTo(Object other) {
        RankedReference<?> that = (RankedReference<?>) other;
        int byRanking = Integer.compare((Integer) getProperty(Constants.SERVICE_RANKING),
                (Integer) that.getProperty(Constants.SERVICE_RANKING));
        return byRanking != 0 ? byRanking
                : Long.compare((Long) that.getProperty(Constants.SERVICE_ID), (Long) getProperty(Constants.SERVICE_ID));
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(properties);
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }

    @Override
    public String toString() {
        return "service " + properties;
    }
}
