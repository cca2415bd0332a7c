package dev.boltflow.core.sendinvoice;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Long-lived subscriptions to a hot stream of inbound messages that nothing can end but disposal: a
 * handler that throws costs one message, and a source that fails is subscribed to again (after 1 s,
 * backing off to a minute), each logged. Without this one bad message, or one bug, would silence a
 * use case for the rest of the process.
 */
public final class InboundStreams {
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofMinutes(1);

    private InboundStreams() {
    }

    /**
     * {@code source}, subscribed to again whenever it fails. It completes only when the source
     * completes (its owner was disposed).
     *
     * @param timers where the pause before subscribing again is timed
     * @param what   what the stream carries, for the log
     */
    public static <T> Flux<T> resubscribing(Supplier<? extends Flux<T>> source, Scheduler timers, Logger log,
            String what) {
        Objects.requireNonNull(source, "source");
        return Flux.defer(source)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY).maxBackoff(MAX_RETRY).scheduler(timers)
                        .doBeforeRetry(s -> log.log(Level.ERROR, "the stream of " + what + " failed ("
                                + s.failure() + "); subscribing again")));
    }

    /**
     * Hands each message of {@code source} to {@code handler}, on the thread that emits it; a handler
     * that throws is logged and the next message is handled as usual.
     */
    public static <T> Disposable guarded(Supplier<? extends Flux<T>> source, Consumer<? super T> handler,
            Scheduler timers, Logger log, String what) {
        Objects.requireNonNull(handler, "handler");
        return resubscribing(source, timers, log, what)
                .subscribe(m -> {
                    try {
                        handler.accept(m);
                    } catch (RuntimeException e) {
                        log.log(Level.WARNING, "handling one of " + what + " failed; the next is handled as usual", e);
                    }
                });
    }
}
