package dev.boltflow.node.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long MS = 1_000_000L;
    private static final OnionMessageLimits CLN = OnionMessageLimits.defaults();

    @Test
    void aQuietPeer_getsTheBurst_thenOnePerInterval() {
        TokenBucket b = new TokenBucket(CLN, 0);
        for (int i = 0; i < 4; i++) {
            assertTrue(b.tryTake(0), "token " + i);
        }
        assertFalse(b.tryTake(0));
        assertFalse(b.tryTake(249 * MS));
        assertTrue(b.tryTake(250 * MS));
        assertFalse(b.tryTake(499 * MS));
        assertTrue(b.tryTake(500 * MS));
    }

    @Test
    void partOfAnIntervalAlreadyElapsed_counts() {
        TokenBucket b = new TokenBucket(CLN, 0);
        for (int i = 0; i < 4; i++) {
            b.tryTake(0);
        }
        assertEquals(1, b.available(400 * MS)); // one earned at 250, 150 ms towards the next
        assertTrue(b.tryTake(400 * MS));
        assertTrue(b.tryTake(500 * MS));
        assertFalse(b.tryTake(500 * MS));
    }

    @Test
    void timeSpentFull_earnsNothing() {
        TokenBucket b = new TokenBucket(CLN, 0);
        assertEquals(4, b.available(10_000 * MS));
        assertTrue(b.tryTake(10_100 * MS));
        // The token taken at 10.1 s comes back 250 ms later, not earlier.
        assertEquals(3, b.available(10_349 * MS));
        assertEquals(4, b.available(10_350 * MS));
    }

    @Test
    void aClockThatGoesBack_refillsNothingUntilItHasCaughtUp() {
        TokenBucket b = new TokenBucket(CLN, 1_000 * MS);
        for (int i = 0; i < 4; i++) {
            b.tryTake(1_000 * MS);
        }
        assertFalse(b.tryTake(0));
        assertFalse(b.tryTake(249 * MS));
        assertTrue(b.tryTake(250 * MS));
    }

    @Test
    void limits_areValidated() {
        assertThrows(IllegalArgumentException.class, () -> new OnionMessageLimits(0, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new OnionMessageLimits(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> OnionMessageLimits.perSecond(0));
        assertEquals(new OnionMessageLimits(10, Duration.ofMillis(100)), OnionMessageLimits.perSecond(10));
    }

    /**
     * Over any span, a bucket never hands out more than the burst plus what the span earns, and
     * never refuses a peer that asks at most once per interval.
     */
    @Property
    void neverMoreThanBurstPlusEarned(@ForAll @IntRange(min = 1, max = 20) int burst,
            @ForAll @IntRange(min = 1, max = 100) int intervalMs,
            @ForAll @IntRange(min = 1, max = 2000) int steps,
            @ForAll @LongRange(min = 0, max = 50) long stepMs) {
        TokenBucket b = new TokenBucket(new OnionMessageLimits(burst, Duration.ofMillis(intervalMs)), 0);
        long taken = 0;
        long now = 0;
        for (int i = 0; i < steps; i++) {
            now += stepMs * MS;
            if (b.tryTake(now)) {
                taken++;
            }
        }
        long earned = now / (intervalMs * MS);
        assertTrue(taken <= burst + earned, taken + " > " + burst + " + " + earned);
        // A peer that asks no more often than the refill is never refused.
        if (stepMs >= intervalMs) {
            assertEquals(steps, taken);
        }
    }
}
