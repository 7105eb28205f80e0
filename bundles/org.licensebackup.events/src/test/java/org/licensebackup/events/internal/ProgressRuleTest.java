package org.licensebackup.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The progress rule, on a clock the test moves: no test here waits or measures time. */
class ProgressRuleTest {

    private static final long SECOND = 1_000_000_000L;

    /** The done values the rule lets through, reporting every license from 1 to total at time {@code now}. */
    private static List<Long> postedWhileTheClockStandsStill(ProgressRule rule, long total) {
        List<Long> posted = new ArrayList<>();
        for (long done = 1; done <= total; done++) {
            if (rule.due(done, total, 0)) {
                posted.add(done);
            }
        }
        return posted;
    }

    @Test
    void theFirstReportIsAlwaysPosted() {
        assertTrue(new ProgressRule(1, SECOND).due(0, 1_000_000, 0));
        assertTrue(new ProgressRule(0, SECOND).due(5, 0, 42));
    }

    @Test
    void aFastOperationPostsOncePerStepOfItsTotal() {
        List<Long> posted = postedWhileTheClockStandsStill(new ProgressRule(1, SECOND), 900);
        assertEquals(101, posted.size(), "the first report, then one per 1 %: " + posted);
        assertEquals(1L, posted.get(0));
        assertEquals(9L, posted.get(1));
        assertEquals(900L, posted.get(100));
    }

    @Test
    void aHugeOperationPostsNoMoreStepEventsThanASmallOne() {
        ProgressRule rule = new ProgressRule(1, Long.MAX_VALUE);
        int posted = 0;
        for (long done = 1; done <= 1_000_000; done++) {
            if (rule.due(done, 1_000_000, 0)) {
                posted++;
            }
        }
        assertEquals(101, posted);
    }

    @Test
    void anOperationSmallerThanItsStepsPostsEveryLicense() {
        assertEquals(List.of(1L, 2L, 3L), postedWhileTheClockStandsStill(new ProgressRule(1, SECOND), 3));
    }

    @Test
    void withinAStepTheIntervalDecides() {
        ProgressRule rule = new ProgressRule(10, SECOND);
        assertTrue(rule.due(1, 1000, 0));
        assertFalse(rule.due(2, 1000, SECOND - 1), "same step, interval not over");
        assertTrue(rule.due(3, 1000, SECOND), "same step, a second later");
        assertFalse(rule.due(4, 1000, SECOND + 1));
        assertTrue(rule.due(100, 1000, SECOND + 2), "the next step, at once");
    }

    @Test
    void withoutStepsOnlyTheIntervalDecides() {
        ProgressRule rule = new ProgressRule(0, SECOND);
        assertTrue(rule.due(1, 100, 0));
        assertFalse(rule.due(99, 100, 10));
        assertTrue(rule.due(100, 100, SECOND));
    }

    @Test
    void anUnknownTotalFallsBackToTheInterval() {
        ProgressRule rule = new ProgressRule(1, SECOND);
        assertTrue(rule.due(1, 0, 0));
        assertFalse(rule.due(500, 0, 1));
        assertTrue(rule.due(501, 0, SECOND + 1));
    }

    @Test
    void aReportPostedBeforeEndStartsTheIntervalAgain() {
        ProgressRule rule = new ProgressRule(0, SECOND);
        rule.posted(5, 10, 100);
        assertFalse(rule.due(6, 10, 100 + SECOND - 1));
        assertTrue(rule.due(7, 10, 100 + SECOND));
    }

    @Test
    void doneBeyondTheTotalStaysInTheLastStep() {
        ProgressRule rule = new ProgressRule(50, SECOND);
        assertTrue(rule.due(10, 10, 0));
        assertFalse(rule.due(20, 10, 1));
    }

    @Test
    void aStepOutsideZeroToHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ProgressRule(101, SECOND));
        assertThrows(IllegalArgumentException.class, () -> new ProgressRule(-1, SECOND));
        assertThrows(IllegalArgumentException.class, () -> new ProgressRule(1, -1));
    }
}
