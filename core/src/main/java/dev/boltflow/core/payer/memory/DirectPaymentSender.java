package dev.boltflow.core.payer.memory;

import dev.boltflow.core.bolt12.Invoice;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.onion.BlindedPath;
import dev.boltflow.core.payer.PaymentSender;
import dev.boltflow.core.sendinvoice.IncomingPayment;
import dev.boltflow.core.sendinvoice.PaymentDecision;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A {@link PaymentSender} for one process: hands the payee's HTLC entry point
 * ({@code SendInvoice::acceptPayment}) exactly what its HTLC layer would see at the end of the
 * invoice's first blinded path. Only paths whose introduction node is the recipient (one hop) can
 * be paid this way; longer ones need a real (or the node's simulated) payment link.
 */
public final class DirectPaymentSender implements PaymentSender {
    private final Function<IncomingPayment, Mono<PaymentDecision>> payee;
    private final long cltvExpiry;

    /** @param cltvExpiry the absolute expiry height the HTLC arrives with */
    public DirectPaymentSender(Function<IncomingPayment, Mono<PaymentDecision>> payee, long cltvExpiry) {
        this.payee = Objects.requireNonNull(payee, "payee");
        this.cltvExpiry = cltvExpiry;
    }

    @Override
    public Mono<Bytes32> pay(Invoice invoice) {
        return Mono.defer(() -> {
            BlindedPath path = invoice.invoicePaths().orElseThrow().get(0);
            if (path.numHops() != 1) {
                return Mono.error(new IllegalArgumentException(
                        "a direct payment needs a one-hop path, this one has " + path.numHops()));
            }
            IncomingPayment htlc = new IncomingPayment(invoice.invoicePaymentHash().orElseThrow(),
                    invoice.invoiceAmount().orElseThrow(), cltvExpiry, path.firstPathKey(),
                    path.hops().get(0).encryptedRecipientData());
            return payee.apply(htlc).flatMap(d -> d.settles()
                    ? Mono.just(((PaymentDecision.Settle) d).preimage())
                    : Mono.error(new IllegalStateException("payment refused: " + d)));
        });
    }
}
