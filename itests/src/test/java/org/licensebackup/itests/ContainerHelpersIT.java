package org.licensebackup.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.licensebackup.events.OperationEventsFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The base class's helpers do what later container tests rely on. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerHelpersIT extends LicenseBackupTestSupport {

    private static final String RECORDED_TOPIC = "org/licensebackup/itest/RECORDED";
    private static final String OTHER_TOPIC = "org/licensebackup/itest/OTHER";
    private static final String SEQUENCE = "sequence";

    @Test
    public void theRecorderKeepsEventsInTheOrderOneThreadPostedThem() {
        EventRecorder recorder = recordEvents(RECORDED_TOPIC);
        EventAdmin eventAdmin = awaitService(EventAdmin.class, DEFAULT_TIMEOUT);
        int count = 200;

        IntStream.range(0, count).forEach(sequence -> eventAdmin.postEvent(event(RECORDED_TOPIC, sequence)));
        recorder.await(RECORDED_TOPIC, event -> event.getProperty(SEQUENCE).equals(count - 1), DEFAULT_TIMEOUT);

        List<Object> sequences = recorder.events().stream().map(event -> event.getProperty(SEQUENCE)).toList();
        assertEquals(IntStream.range(0, count).boxed().toList(), sequences);
    }

    @Test
    public void theRecorderRecordsOnlyItsTopics() {
        EventRecorder recorder = recordEvents(RECORDED_TOPIC);
        EventAdmin eventAdmin = awaitService(EventAdmin.class, DEFAULT_TIMEOUT);

        eventAdmin.postEvent(event(OTHER_TOPIC, 0));
        eventAdmin.postEvent(event(RECORDED_TOPIC, 1));
        recorder.await(RECORDED_TOPIC, DEFAULT_TIMEOUT);

        assertEquals(List.of(RECORDED_TOPIC), recorder.events().stream().map(Event::getTopic).toList());
    }

    @Test
    public void awaitingAnEventThatDoesNotComeFailsNamingWhatDid() {
        EventRecorder recorder = recordEvents(RECORDED_TOPIC, OTHER_TOPIC);
        awaitService(EventAdmin.class, DEFAULT_TIMEOUT).sendEvent(event(OTHER_TOPIC, 7));

        AssertionError failure = assertThrows(AssertionError.class,
                () -> recorder.await(RECORDED_TOPIC, Duration.ofMillis(200)));

        assertTrue(failure.getMessage(), failure.getMessage().contains(OTHER_TOPIC + "{" + SEQUENCE + "=7}"));
    }

    @Test
    public void awaitingAServiceThatIsNotRegisteredFailsAfterTheTimeout() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> awaitService(EventAdmin.class, "(licensebackup.itest.absent=true)", Duration.ofMillis(300)));

        // What it waited for and how long it was to wait, not how long it took: that is the machine's.
        assertTrue(failure.getMessage(), failure.getMessage().contains("licensebackup.itest.absent=true")
                && failure.getMessage().endsWith("within " + Duration.ofMillis(300)));
    }

    @Test
    public void configureReturnsOnceTheComponentShowsTheNewConfiguration() {
        awaitService(OperationEventsFactory.class, DEFAULT_TIMEOUT);

        ServiceReference<?> reconfigured = configure("org.licensebackup.events", Map.of("progress.interval.ms", 50L));

        assertEquals(50L, reconfigured.getProperty("progress.interval.ms"));
        assertTrue(List.of((String[]) reconfigured.getProperty(Constants.OBJECTCLASS))
                .contains(OperationEventsFactory.class.getName()));
    }

    private static Event event(String topic, int sequence) {
        return new Event(topic, Map.of(SEQUENCE, sequence));
    }
}
