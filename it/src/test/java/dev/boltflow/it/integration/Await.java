package dev.boltflow.it.integration;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Waits for a condition by polling it every few milliseconds, up to a deadline (no sleeping for order). */
final class Await {
    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code what} when it still does not after {@code deadline}. */
    static void until(String what, Duration deadline, BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            return;
        }
        Boolean met = Flux.interval(Duration.ofMillis(5))
                .map(tick -> condition.getAsBoolean())
                .filter(Boolean::booleanValue)
                .next()
                .timeout(deadline, Mono.just(false))
                .block();
        if (met == null || !met) {
            throw new AssertionError("still not true after " + deadline + ": " + what);
        }
    }
}
