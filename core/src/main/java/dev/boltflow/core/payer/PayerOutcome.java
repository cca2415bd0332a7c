package dev.boltflow.core.payer;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.U64;
import dev.boltflow.core.crypto.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What last happened to an invoice that arrived for one of our invoice_requests, as
 * {@code listinvoicerequests} shows it (boltflow's {@code last_outcome}). Never a secret: the
 * preimage is not here, only the payment hash.
 *
 * @param status      where the invoice got to
 * @param paymentHash the invoice's {@code invoice_payment_hash}
 * @param amountMsat  its {@code invoice_amount}, when it has one
 * @param payee       its {@code invoice_node_id}, when it has one
 * @param detail      for {@code refused} and {@code payment_failed}: why; otherwise empty
 * @param at          when (UNIX seconds)
 */
public record PayerOutcome(Status status, Bytes32 paymentHash, OptionalLong amountMsat, Optional<PublicKey> payee,
        String detail, long at) {

    /** The stages an invoice for our request goes through. */
    public enum Status {
        RECEIVED("received"),
        REFUSED("refused"),
        PAYING("paying"),
        PAID("paid"),
        PAYMENT_FAILED("payment_failed");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public PayerOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(amountMsat, "amountMsat");
        Objects.requireNonNull(payee, "payee");
        Objects.requireNonNull(detail, "detail");
    }

    /** The same invoice at a later stage. */
    public PayerOutcome next(Status s, String why, long when) {
        return new PayerOutcome(s, paymentHash, amountMsat, payee, why, when);
    }

    /** JSON field names for {@code listinvoicerequests}; amounts as unsigned numbers. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status.wireName());
        m.put("payment_hash", paymentHash.toHex());
        amountMsat.ifPresent(a -> m.put("amount_msat", U64.toNumber(a)));
        payee.ifPresent(p -> m.put("invoice_node_id", p.toHex()));
        if (!detail.isEmpty()) {
            m.put("detail", detail);
        }
        m.put("at", U64.toNumber(at));
        return Collections.unmodifiableMap(m);
    }
}
