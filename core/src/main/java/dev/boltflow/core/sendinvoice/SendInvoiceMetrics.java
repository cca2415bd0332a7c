package dev.boltflow.core.sendinvoice;

/**
 * What {@link SendInvoice} reports to a metrics system (the node binds it to Micrometer). Every
 * method is called on the thread of the event and must return at once. {@link #NONE} does nothing:
 * an embedder that passes no metrics pays nothing for them.
 */
public interface SendInvoiceMetrics {
    /** Reports nothing. */
    SendInvoiceMetrics NONE = new SendInvoiceMetrics() { };

    /** A send was subscribed to (refused ones included: each gets exactly one {@link #outcome}). */
    default void started() {
    }

    /**
     * A send ended.
     *
     * @param outcome {@code paid}, a Core Lightning code ({@code 900}, {@code 1002} … {@code 1005},
     *                {@code -32602}, {@code -1}), or {@code cancelled} when its caller gave up
     * @param nanos   from {@link #started()} to now, on the send's timer scheduler's clock
     */
    default void outcome(String outcome, long nanos) {
    }

    /** A payment settled one of our invoices (whether or not a send still waited for it). */
    default void invoicePaid(long amountReceivedMsat) {
    }
}
