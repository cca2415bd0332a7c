package dev.boltflow.core.sendinvoice;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The hot {@link InvoiceStore#changes()} stream for adapters: announce each change after it is
 * durable. Emission is serialized here, so adapters may announce from any thread. A subscriber that
 * does not keep up misses changes (best effort) instead of holding the store back.
 */
public final class InvoiceChangeBus {
    private final Sinks.Many<InvoiceChange> sink = Sinks.many().multicast().directBestEffort();

    public synchronized void announce(InvoiceChange change) {
        sink.tryEmitNext(change);
    }

    /** Completes every subscriber; later announcements are dropped. */
    public synchronized void close() {
        sink.tryEmitComplete();
    }

    public Flux<InvoiceChange> changes() {
        return sink.asFlux();
    }
}
