package dev.boltflow.core.payer;

import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.Bytes32;
import reactor.core.publisher.Mono;

/**
 * Outbound port: pays an invoice over one of its blinded payment paths and returns the preimage.
 * The host node's HTLC layer stands behind it; tests and the demo use a channel-less simulated link.
 */
public interface PaymentSender {
    Mono<Bytes32> pay(Invoice invoice);
}
