package dev.boltflow.core.payer;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Outbound port: the invoice_requests we wrote. */
public interface InvoiceRequestStore {

    /** Stores a new request; an invreq_id already stored is an error. */
    Mono<OurInvoiceRequest> create(OurInvoiceRequest request);

    Mono<OurInvoiceRequest> find(Bytes32 invreqId);

    /** The request whose {@code invreq_metadata} this is (invoices mirror it). */
    Mono<OurInvoiceRequest> findByMetadata(Bytes metadata);

    Flux<OurInvoiceRequest> list(boolean activeOnly);

    /** disableinvoicerequest: inactive from now on; empty if unknown. */
    Mono<OurInvoiceRequest> disable(Bytes32 invreqId);

    /**
     * Records that an invoice for it was paid, atomically: empty when it was already inactive (a
     * single-use request is paid at most once).
     */
    Mono<OurInvoiceRequest> markPaid(Bytes32 invreqId);

    /** Records what last happened to an invoice for it (shown by listinvoicerequests); empty if unknown. */
    Mono<OurInvoiceRequest> recordOutcome(Bytes32 invreqId, PayerOutcome outcome);
}
