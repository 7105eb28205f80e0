package org.licensebackup.itests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * An {@link EventHandler} service that records the events of some topics in the order they
 * arrive. Obtain one with {@link LicenseBackupTestSupport#recordEvents(String...)}; it is
 * unregistered when closed, or at the end of the test at the latest.
 */
public final class EventRecorder implements EventHandler, AutoCloseable {

    private final Object lock = new Object();
    private final List<Event> events = new ArrayList<>();
    private final String[] topics;
    private ServiceRegistration<EventHandler> registration;

    private EventRecorder(String[] topics) {
        this.topics = topics.clone();
    }

    static EventRecorder register(BundleContext context, String... topics) {
        if (topics.length == 0) {
            throw new IllegalArgumentException("an event recorder needs at least one topic");
        }
        EventRecorder recorder = new EventRecorder(topics);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, recorder.topics);
        ServiceRegistration<EventHandler> registration =
                context.registerService(EventHandler.class, recorder, properties);
        synchronized (recorder.lock) {
            recorder.registration = registration;
        }
        return recorder;
    }

    @Override
    public void handleEvent(Event event) {
        // EventAdmin deny-lists slow handlers: record and wake the waiters, nothing more
        synchronized (lock) {
            events.add(event);
            lock.notifyAll();
        }
    }

    /** Every event recorded so far, in arrival order. */
    public List<Event> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** The events of {@code topic} recorded so far, in arrival order. */
    public List<Event> events(String topic) {
        synchronized (lock) {
            return events.stream().filter(event -> event.getTopic().equals(topic)).toList();
        }
    }

    /**
     * The first event of {@code topic}, waiting up to {@code timeout} for it to arrive.
     *
     * @throws AssertionError when none arrives in time; the message lists what did arrive
     */
    public Event await(String topic, Duration timeout) {
        return await(topic, event -> true, timeout);
    }

    /**
     * The first event of {@code topic} that {@code condition} accepts, waiting up to {@code timeout}
     * for it to arrive.
     *
     * @throws AssertionError when none arrives in time; the message lists what did arrive
     */
    public Event await(String topic, Predicate<Event> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Optional<Event> found = events.stream()
                        .filter(event -> event.getTopic().equals(topic) && condition.test(event))
                        .findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                long remainingNanos = deadline - System.nanoTime();
                if (remainingNanos <= 0) {
                    throw new AssertionError("no matching event on " + topic + " within " + timeout
                            + "; recorded: " + describe(events));
                }
                try {
                    lock.wait(Math.max(1, remainingNanos / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for an event on " + topic, e);
                }
            }
        }
    }

    /** Forgets what was recorded so far; the recorder keeps recording. */
    public void clear() {
        synchronized (lock) {
            events.clear();
        }
    }

    @Override
    public void close() {
        ServiceRegistration<EventHandler> closing;
        synchronized (lock) {
            closing = registration;
            registration = null;
        }
        if (closing == null) {
            return;
        }
        try {
            closing.unregister();
        } catch (IllegalStateException alreadyGoneWithTheFramework) {
            // the container is shutting down; nothing left to unregister
        }
    }

    private static String describe(List<Event> events) {
        List<String> descriptions = new ArrayList<>(events.size());
        for (Event event : events) {
            descriptions.add(event.getTopic() + describeProperties(event));
        }
        return descriptions.toString();
    }

    private static String describeProperties(Event event) {
        StringBuilder text = new StringBuilder("{");
        for (String name : event.getPropertyNames()) {
            if (!name.equals(EventConstants.EVENT_TOPIC)) {
                text.append(text.length() > 1 ? ", " : "").append(name).append('=').append(event.getProperty(name));
            }
        }
        return text.append('}').toString();
    }
}
