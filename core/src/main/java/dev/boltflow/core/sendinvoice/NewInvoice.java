package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.crypto.PaymentPreimage;
import dev.boltflow.core.bytes.Bytes32;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * An invoice about to be stored: what {@link InvoiceStore#create} needs. The store adds
 * {@code created_index} and the {@code unpaid} status.
 *
 * <p>The label and the bolt12 string must not contain U+0000 and the label is at most
 * {@value #MAX_LABEL_BYTES} UTF-8 bytes (it carries a unique index). The description and the payer
 * note are a remote payer's text: any string decoded from valid UTF-8, NUL included, which every
 * adapter must keep exactly.
 *
 * @param label           unique label chosen by the caller
 * @param description     the offer's description, if any
 * @param preimage        the payment secret; {@link #paymentHash()} is its SHA-256
 * @param expiresAt       UNIX seconds from which the invoice can no longer be paid
 * @param amountMsat      {@code invoice_amount}
 * @param bolt12          the invoice string ({@code lni1...}) as sent
 * @param localOfferId    the id of our own offer this invoice answers, if any
 * @param invreqPayerNote the {@code invreq_payer_note} of the invoice_request, if any
 */
public record NewInvoice(
        String label,
        Optional<String> description,
        PaymentPreimage preimage,
        long expiresAt,
        long amountMsat,
        String bolt12,
        Optional<Bytes32> localOfferId,
        Optional<String> invreqPayerNote) {

    public static final int MAX_LABEL_BYTES = 1024;

    public NewInvoice {
        checkText("label", label);
        if (label.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("label is longer than " + MAX_LABEL_BYTES + " UTF-8 bytes");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(preimage, "preimage");
        if (expiresAt < 0) {
            throw new IllegalArgumentException("expires_at must not be negative");
        }
        if (amountMsat < 0) {
            throw new IllegalArgumentException("amount_msat must not be negative");
        }
        checkText("bolt12", bolt12);
        if (bolt12.isEmpty()) {
            throw new IllegalArgumentException("bolt12 must not be empty");
        }
        Objects.requireNonNull(localOfferId, "localOfferId");
        Objects.requireNonNull(invreqPayerNote, "invreqPayerNote");
    }

    /** SHA256(preimage), the invoice's {@code payment_hash}. */
    public Bytes32 paymentHash() {
        return preimage.paymentHash();
    }

    static void checkText(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(field + " must not contain U+0000");
        }
    }
}
