package dev.boltflow.it.integration;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.payer.InvoiceRequestStore;
import dev.boltflow.core.payer.OurInvoiceRequest;
import dev.boltflow.core.payer.PayerOutcome;
import dev.boltflow.core.payer.memory.InMemoryInvoiceRequestStore;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The payer side's in-memory request store, rewriting each request as it is stored: the node then
 * hands out, and checks invoices against, the rewritten {@code lnr1} (see {@link Invreqs}).
 */
final class RewritingRequests implements InvoiceRequestStore {
    private final InvoiceRequestStore delegate = new InMemoryInvoiceRequestStore();
    private final UnaryOperator<String> rewrite;

    RewritingRequests(UnaryOperator<String> rewrite) {
        this.rewrite = rewrite;
    }

    @Override
    public Mono<OurInvoiceRequest> create(OurInvoiceRequest request) {
        return Mono.fromCallable(() -> Invreqs.rewritten(request, rewrite.apply(request.bolt12())))
                .flatMap(delegate::create);
    }

    @Override
    public Mono<OurInvoiceRequest> find(Bytes32 invreqId) {
        return delegate.find(invreqId);
    }

    @Override
    public Mono<OurInvoiceRequest> findByMetadata(Bytes metadata) {
        return delegate.findByMetadata(metadata);
    }

    @Override
    public Flux<OurInvoiceRequest> list(boolean activeOnly) {
        return delegate.list(activeOnly);
    }

    @Override
    public Mono<OurInvoiceRequest> disable(Bytes32 invreqId) {
        return delegate.disable(invreqId);
    }

    @Override
    public Mono<OurInvoiceRequest> markPaid(Bytes32 invreqId) {
        return delegate.markPaid(invreqId);
    }

    @Override
    public Mono<OurInvoiceRequest> recordOutcome(Bytes32 invreqId, PayerOutcome outcome) {
        return delegate.recordOutcome(invreqId, outcome);
    }
}
