package dev.boltflow.core.sendinvoice;

/**
 * How a paid invoice was paid: the fields listinvoices adds when {@code status} is {@code paid}
 * (the preimage stays with {@link StoredInvoice#preimage()}).
 *
 * @param payIndex           1-based, strictly increasing over payments, never reused
 * @param amountReceivedMsat what actually arrived (may exceed {@code amount_msat})
 * @param paidAt             UNIX seconds
 */
public record InvoicePayment(long payIndex, long amountReceivedMsat, long paidAt) {
    public InvoicePayment {
        if (payIndex < 1) {
            throw new IllegalArgumentException("pay_index is 1-based, got " + payIndex);
        }
        if (amountReceivedMsat < 0) {
            throw new IllegalArgumentException("amount_received_msat must not be negative");
        }
        if (paidAt < 0) {
            throw new IllegalArgumentException("paid_at must not be negative");
        }
    }
}
