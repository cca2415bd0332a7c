package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.bytes.Bytes32;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An invoice as the store holds it: one entry of Core Lightning's {@code listinvoices}.
 *
 * <p><b>The preimage.</b> The store keeps the preimage from creation on, because the node needs it to
 * settle the payment. It is a {@link PaymentPreimage}, which prints as {@code [redacted]}, so this
 * record's {@code toString()} never shows it. {@link #preimage()} is for settling HTLCs only;
 * {@link #paymentPreimage()} is what may be shown to a user: present only once the invoice is paid,
 * as listinvoices' {@code payment_preimage}.
 *
 * @param createdIndex  1-based, the order of creation (listinvoices {@code created_index})
 * @param updatedIndex  1-based, the order of the last change; absent until the invoice changes
 * @param payment       present exactly when {@code status} is {@code paid}
 */
public record StoredInvoice(
        String label,
        Optional<String> description,
        Bytes32 paymentHash,
        InvoiceStatus status,
        long createdIndex,
        OptionalLong updatedIndex,
        long expiresAt,
        long amountMsat,
        String bolt12,
        Optional<Bytes32> localOfferId,
        Optional<String> invreqPayerNote,
        Optional<InvoicePayment> payment,
        PaymentPreimage preimage) {

    public StoredInvoice {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedIndex, "updatedIndex");
        Objects.requireNonNull(bolt12, "bolt12");
        Objects.requireNonNull(localOfferId, "localOfferId");
        Objects.requireNonNull(invreqPayerNote, "invreqPayerNote");
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(preimage, "preimage");
        if (createdIndex < 1) {
            throw new IllegalArgumentException("created_index is 1-based, got " + createdIndex);
        }
        if (updatedIndex.isPresent() && updatedIndex.getAsLong() < 1) {
            throw new IllegalArgumentException("updated_index is 1-based, got " + updatedIndex.getAsLong());
        }
        if ((status == InvoiceStatus.PAID) != payment.isPresent()) {
            throw new IllegalArgumentException("payment details are present exactly when the status is paid");
        }
        if (status != InvoiceStatus.UNPAID && updatedIndex.isEmpty()) {
            throw new IllegalArgumentException("a " + status.wireName() + " invoice has an updated_index");
        }
    }

    /** A freshly created, unpaid invoice. */
    public static StoredInvoice created(NewInvoice n, long createdIndex) {
        return new StoredInvoice(n.label(), n.description(), n.paymentHash(), InvoiceStatus.UNPAID, createdIndex,
                OptionalLong.empty(), n.expiresAt(), n.amountMsat(), n.bolt12(), n.localOfferId(), n.invreqPayerNote(),
                Optional.empty(), n.preimage());
    }

    /** This invoice, paid. */
    public StoredInvoice paid(InvoicePayment p, long newUpdatedIndex) {
        return new StoredInvoice(label, description, paymentHash, InvoiceStatus.PAID, createdIndex,
                OptionalLong.of(newUpdatedIndex), expiresAt, amountMsat, bolt12, localOfferId, invreqPayerNote,
                Optional.of(p), preimage);
    }

    /** This invoice, expired. */
    public StoredInvoice expired(long newUpdatedIndex) {
        return new StoredInvoice(label, description, paymentHash, InvoiceStatus.EXPIRED, createdIndex,
                OptionalLong.of(newUpdatedIndex), expiresAt, amountMsat, bolt12, localOfferId, invreqPayerNote,
                Optional.empty(), preimage);
    }

    /** listinvoices' {@code payment_preimage}: the proof of payment, present only once paid. */
    public Optional<Bytes32> paymentPreimage() {
        return status == InvoiceStatus.PAID ? Optional.of(preimage.reveal()) : Optional.empty();
    }

    /** listinvoices' {@code pay_index}, present only once paid. */
    public OptionalLong payIndex() {
        return payment.isPresent() ? OptionalLong.of(payment.get().payIndex()) : OptionalLong.empty();
    }

    /** Whether the invoice can no longer be paid at {@code now} (UNIX seconds): expired or past expires_at. */
    public boolean isPastExpiry(long now) {
        return expiresAt <= now;
    }
}
