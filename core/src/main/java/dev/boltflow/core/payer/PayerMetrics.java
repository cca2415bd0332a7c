package dev.boltflow.core.payer;

/**
 * What the {@link Payer} reports to a metrics system (the node binds it to Micrometer); called on
 * the event's thread, returns at once. {@link #NONE} does nothing.
 */
public interface PayerMetrics {
    /** Reports nothing. */
    PayerMetrics NONE = new PayerMetrics() { };

    /** An invoice for one of our active requests arrived (a resent copy of one in hand is not counted). */
    default void invoiceReceived() {
    }

    /** We refused an invoice with an {@code invoice_error}. */
    default void invoiceRefused() {
    }

    /** We paid an invoice. */
    default void invoicePaid() {
    }

    /** Paying an acceptable invoice failed. */
    default void paymentFailed() {
    }
}
