package dev.boltflow.core.payer.memory;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.payer.InvoiceRequestStore;
import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.PayerOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link InvoiceRequestStore} in memory; updates are atomic per request (ConcurrentHashMap.compute). */
public final class InMemoryInvoiceRequestStore implements InvoiceRequestStore {
    private record Entry(long order, OurInvoiceRequest request) {
    }

    private final ConcurrentHashMap<Bytes32, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Bytes, Bytes32> byMetadata = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();

    @Override
    public Mono<OurInvoiceRequest> create(OurInvoiceRequest request) {
        return Mono.fromCallable(() -> {
            Entry e = new Entry(order.incrementAndGet(), request);
            if (byId.putIfAbsent(request.invreqId(), e) != null) {
                throw new IllegalStateException("invoice_request " + request.invreqId() + " already stored");
            }
            byMetadata.put(request.metadata(), request.invreqId());
            return request;
        });
    }

    @Override
    public Mono<OurInvoiceRequest> find(Bytes32 invreqId) {
        return Mono.fromSupplier(() -> {
            Entry e = byId.get(invreqId);
            return e == null ? null : e.request();
        });
    }

    @Override
    public Mono<OurInvoiceRequest> findByMetadata(Bytes metadata) {
        return Mono.fromSupplier(() -> byMetadata.get(metadata)).flatMap(this::find);
    }

    @Override
    public Flux<OurInvoiceRequest> list(boolean activeOnly) {
        return Flux.defer(() -> {
            List<Entry> all = new ArrayList<>(byId.values());
            all.sort(Comparator.comparingLong(Entry::order));
            return Flux.fromIterable(all).map(Entry::request).filter(r -> !activeOnly || r.active());
        });
    }

    @Override
    public Mono<OurInvoiceRequest> disable(Bytes32 invreqId) {
        return Mono.fromSupplier(() -> {
            Entry e = byId.computeIfPresent(invreqId, (k, v) -> new Entry(v.order(), v.request().disabled()));
            return e == null ? null : e.request();
        });
    }

    @Override
    public Mono<OurInvoiceRequest> markPaid(Bytes32 invreqId) {
        return Mono.fromSupplier(() -> {
            boolean[] changed = new boolean[1];
            Entry e = byId.computeIfPresent(invreqId, (k, v) -> {
                if (!v.request().active()) {
                    return v;
                }
                changed[0] = true;
                return new Entry(v.order(), v.request().paid());
            });
            return e != null && changed[0] ? e.request() : null;
        });
    }

    @Override
    public Mono<OurInvoiceRequest> recordOutcome(Bytes32 invreqId, PayerOutcome outcome) {
        return Mono.fromSupplier(() -> {
            Entry e = byId.computeIfPresent(invreqId, (k, v) -> new Entry(v.order(), v.request().withOutcome(outcome)));
            return e == null ? null : e.request();
        });
    }
}
