package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.bytes.U64;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answer of {@code sendinvoice}, field for field as {@code ../shared/cln-schemas/sendinvoice.json}
 * has it: the stored invoice, and when paid {@code pay_index}, {@code amount_received_msat},
 * {@code paid_at} and {@code payment_preimage}.
 */
public record SendInvoiceResult(
        String label,
        String description,
        Bytes32 paymentHash,
        InvoiceStatus status,
        long createdIndex,
        OptionalLong updatedIndex,
        long expiresAt,
        long amountMsat,
        String bolt12,
        OptionalLong payIndex,
        OptionalLong amountReceivedMsat,
        OptionalLong paidAt,
        Optional<Bytes32> paymentPreimage) {

    public SendInvoiceResult {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedIndex, "updatedIndex");
        Objects.requireNonNull(bolt12, "bolt12");
        Objects.requireNonNull(payIndex, "payIndex");
        Objects.requireNonNull(amountReceivedMsat, "amountReceivedMsat");
        Objects.requireNonNull(paidAt, "paidAt");
        Objects.requireNonNull(paymentPreimage, "paymentPreimage");
    }

    /** The answer for a stored invoice (the paid fields appear only once it is paid). */
    public static SendInvoiceResult of(StoredInvoice i) {
        Optional<InvoicePayment> p = i.payment();
        return new SendInvoiceResult(i.label(), i.description().orElse(""), i.paymentHash(), i.status(),
                i.createdIndex(), i.updatedIndex(), i.expiresAt(), i.amountMsat(), i.bolt12(),
                p.isPresent() ? OptionalLong.of(p.get().payIndex()) : OptionalLong.empty(),
                p.isPresent() ? OptionalLong.of(p.get().amountReceivedMsat()) : OptionalLong.empty(),
                p.isPresent() ? OptionalLong.of(p.get().paidAt()) : OptionalLong.empty(),
                i.paymentPreimage());
    }

    /**
     * The answer with Core Lightning's field names and units ({@code sendinvoice.json}): hashes and
     * preimages as hex, amounts in msat, u64 values as unsigned numbers; optional fields only when
     * present.
     */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("label", label);
        m.put("description", description);
        m.put("payment_hash", paymentHash.toHex());
        m.put("status", status.wireName());
        m.put("created_index", createdIndex);
        updatedIndex.ifPresent(v -> m.put("updated_index", v));
        m.put("expires_at", U64.toNumber(expiresAt));
        m.put("amount_msat", U64.toNumber(amountMsat));
        m.put("bolt12", bolt12);
        payIndex.ifPresent(v -> m.put("pay_index", v));
        amountReceivedMsat.ifPresent(v -> m.put("amount_received_msat", U64.toNumber(v)));
        paidAt.ifPresent(v -> m.put("paid_at", U64.toNumber(v)));
        paymentPreimage.ifPresent(v -> m.put("payment_preimage", v.toHex()));
        return java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        return "SendInvoiceResult[label=" + label + ", status=" + status + ", payment_hash=" + paymentHash
                + ", created_index=" + createdIndex + (payIndex.isPresent() ? ", pay_index=" + payIndex.getAsLong() : "")
                + "]";
    }
}
