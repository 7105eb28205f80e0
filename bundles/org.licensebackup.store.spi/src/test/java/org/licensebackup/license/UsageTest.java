package org.licensebackup.license;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class UsageTest {

    private static final Instant EARLY = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant LATE = Instant.parse("2024-06-01T00:00:00Z");

    @Test
    void moreUseIsAtLeastLessUse() {
        assertTrue(new Usage(5, 2, EARLY).atLeast(new Usage(4, 2, EARLY)));
        assertTrue(new Usage(5, 3, EARLY).atLeast(new Usage(5, 2, EARLY)));
        assertTrue(new Usage(1, 0, EARLY).atLeast(Usage.NONE));
    }

    @Test
    void aStateIsAtLeastItself() {
        Usage usage = new Usage(3, 1, EARLY);

        assertTrue(usage.atLeast(usage));
        assertTrue(Usage.NONE.atLeast(Usage.NONE));
    }

    @Test
    void fewerPlaysAreNotAtLeastMore() {
        assertFalse(new Usage(4, 9, EARLY).atLeast(new Usage(5, 0, EARLY)));
    }

    @Test
    void fewerCopiesAreNotAtLeastMore() {
        assertFalse(new Usage(9, 1, EARLY).atLeast(new Usage(0, 2, EARLY)));
    }

    @Test
    void aLaterFirstUseIsNotAtLeastAnEarlierOne() {
        assertFalse(new Usage(9, 9, LATE).atLeast(new Usage(0, 0, EARLY)));
        assertTrue(new Usage(0, 0, EARLY).atLeast(new Usage(0, 0, LATE)));
    }

    @Test
    void neverUsedIsNotAtLeastUsed() {
        assertFalse(new Usage(9, 9, null).atLeast(new Usage(0, 0, EARLY)));
        assertTrue(new Usage(0, 0, EARLY).atLeast(new Usage(0, 0, null)));
    }

    @Test
    void theFurthestStateGivesNoUseBack() {
        Usage furthest = new Usage(5, 1, LATE).furthest(new Usage(2, 3, EARLY));

        assertEquals(new Usage(5, 3, EARLY), furthest);
        assertEquals(furthest, new Usage(2, 3, EARLY).furthest(new Usage(5, 1, LATE)));
    }

    @Test
    void theFurthestStateKeepsTheEarliestFirstUseWhicheverSideHasIt() {
        assertEquals(EARLY, new Usage(0, 0, null).furthest(new Usage(0, 0, EARLY)).firstUsedAt());
        assertEquals(EARLY, new Usage(0, 0, EARLY).furthest(new Usage(0, 0, null)).firstUsedAt());
        assertEquals(EARLY, new Usage(0, 0, EARLY).furthest(new Usage(0, 0, LATE)).firstUsedAt());
        assertEquals(null, Usage.NONE.furthest(Usage.NONE).firstUsedAt());
    }

    @Test
    void theFurthestStateIsAtLeastBoth() {
        Usage one = new Usage(5, 1, LATE);
        Usage other = new Usage(2, 3, EARLY);
        Usage furthest = one.furthest(other);

        assertTrue(furthest.atLeast(one));
        assertTrue(furthest.atLeast(other));
    }

    @Test
    void aPlayStartsTheFirstUseClockOnlyOnce() {
        Usage once = Usage.NONE.played(EARLY);
        Usage twice = once.played(LATE);

        assertEquals(new Usage(1, 0, EARLY), once);
        assertEquals(new Usage(2, 0, EARLY), twice);
        assertEquals(new Usage(2, 1, EARLY), twice.copied(LATE));
    }

    @Test
    void refusesNegativeCounts() {
        assertThrowsExactly(MalformedLicenseException.class, () -> new Usage(-1, 0, null));
        assertThrowsExactly(MalformedLicenseException.class, () -> new Usage(0, -1, null));
    }
}
