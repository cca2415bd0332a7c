package dev.boltflow.core.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link Clock} that reads a Reactor {@link Scheduler}'s time, offset by an epoch: with a
 * {@code VirtualTimeScheduler} the clock and the timers move together.
 */
public final class SchedulerClock extends Clock {
    private final Scheduler scheduler;
    private final long epochMillis;

    public SchedulerClock(Scheduler scheduler, Instant epoch) {
        this.scheduler = scheduler;
        this.epochMillis = epoch.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return epochMillis + scheduler.now(TimeUnit.MILLISECONDS);
    }
}
