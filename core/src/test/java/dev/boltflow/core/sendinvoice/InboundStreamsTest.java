package dev.boltflow.core.sendinvoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A long-lived inbound stream survives a failing source and a throwing handler, and says so in the log. */
class InboundStreamsTest {

    /** Every line logged, as "LEVEL text". */
    static final class Lines implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg + (thrown == null ? "" : " [" + thrown.getMessage() + "]"));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + (params == null ? format : java.text.MessageFormat.format(format, params)));
        }
    }

    @Test
    void a_failed_source_is_subscribed_to_again_after_a_second_and_the_failure_is_logged() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        Lines log = new Lines();
        AtomicInteger subscriptions = new AtomicInteger();
        List<String> handled = new CopyOnWriteArrayList<>();
        Disposable d = InboundStreams.guarded(() -> subscriptions.incrementAndGet() == 1
                ? Flux.just("a").concatWith(Flux.error(new IllegalStateException("peer gone")))
                : Flux.just("b").concatWith(Flux.never()), handled::add, vts, log, "test messages");
        try {
            assertEquals(List.of("a"), handled);
            assertEquals(List.of("ERROR the stream of test messages failed (java.lang.IllegalStateException: peer gone);"
                    + " subscribing again"), log.lines);
            vts.advanceTimeBy(Duration.ofMillis(900));
            assertEquals(1, subscriptions.get(), "not before the first retry's backoff");
            vts.advanceTimeBy(Duration.ofSeconds(2));
            assertEquals(2, subscriptions.get());
            assertEquals(List.of("a", "b"), handled);
        } finally {
            d.dispose();
        }
    }

    @Test
    void a_handler_that_throws_costs_one_message_and_is_logged() {
        Lines log = new Lines();
        Sinks.Many<String> source = Sinks.many().multicast().directBestEffort();
        List<String> handled = new CopyOnWriteArrayList<>();
        Disposable d = InboundStreams.guarded(source::asFlux, m -> {
            if (m.equals("bad")) {
                throw new IllegalArgumentException("cannot handle " + m);
            }
            handled.add(m);
        }, VirtualTimeScheduler.create(), log, "test messages");
        try {
            source.tryEmitNext("bad");
            source.tryEmitNext("good");
            assertEquals(List.of("good"), handled);
            assertEquals(List.of("WARNING handling one of test messages failed; the next is handled as usual"
                    + " [cannot handle bad]"), log.lines);
        } finally {
            d.dispose();
        }
        assertTrue(d.isDisposed());
        assertEquals(0, source.currentSubscriberCount(), "disposing ends the subscription");
    }
}
