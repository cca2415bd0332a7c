package dev.boltflow.core.payer;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.util.Objects;
import java.util.Optional;

/**
 * An invoice_request we wrote ("I want to pay you"), as Core Lightning's {@code invoicerequest}
 * and {@code listinvoicerequests} show it.
 *
 * @param invreqId  SHA256 of the request's records below type 160 (Core Lightning's invreq_id)
 * @param metadata  its {@code invreq_metadata}: the key to our payer id and to the path_id of its
 *                  {@code invreq_paths}
 * @param singleUse after we pay one invoice for it, it becomes inactive
 * @param active    still answered: invoices for it get paid
 * @param used      an invoice for it has been paid
 * @param lastOutcome what last happened to an invoice for it (boltflow's addition)
 */
public record OurInvoiceRequest(Bytes32 invreqId, String bolt12, Bytes metadata, Optional<String> label,
        boolean singleUse, boolean active, boolean used, Optional<PayerOutcome> lastOutcome) {
    public OurInvoiceRequest {
        Objects.requireNonNull(invreqId, "invreqId");
        Objects.requireNonNull(bolt12, "bolt12");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(lastOutcome, "lastOutcome");
    }

    /** A request no invoice has arrived for yet. */
    public OurInvoiceRequest(Bytes32 invreqId, String bolt12, Bytes metadata, Optional<String> label,
            boolean singleUse, boolean active, boolean used) {
        this(invreqId, bolt12, metadata, label, singleUse, active, used, Optional.empty());
    }

    public OurInvoiceRequest disabled() {
        return new OurInvoiceRequest(invreqId, bolt12, metadata, label, singleUse, false, used, lastOutcome);
    }

    /** After paying an invoice for it: used, and inactive if single use. */
    public OurInvoiceRequest paid() {
        return new OurInvoiceRequest(invreqId, bolt12, metadata, label, singleUse, active && !singleUse, true,
                lastOutcome);
    }

    /** With {@code outcome} as what last happened to an invoice for it. */
    public OurInvoiceRequest withOutcome(PayerOutcome outcome) {
        return new OurInvoiceRequest(invreqId, bolt12, metadata, label, singleUse, active, used, Optional.of(outcome));
    }

    /**
     * An entry of {@code listinvoicerequests}: {@link #toMap()} plus boltflow's {@code last_outcome}
     * (Core Lightning's entries allow additional fields; its other answers do not).
     */
    public java.util.Map<String, Object> toListEntry() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(toMap());
        lastOutcome.ifPresent(o -> m.put("last_outcome", o.toMap()));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Core Lightning's field names ({@code invoicerequest.json}). */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("invreq_id", invreqId.toHex());
        m.put("active", active);
        m.put("single_use", singleUse);
        m.put("bolt12", bolt12);
        m.put("used", used);
        label.ifPresent(l -> m.put("label", l));
        return java.util.Collections.unmodifiableMap(m);
    }
}
