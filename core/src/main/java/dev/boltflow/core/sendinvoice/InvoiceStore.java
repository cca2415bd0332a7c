package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes32;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Outbound port: where the invoices we send live, with Core Lightning's semantics (listinvoices,
 * waitinvoice, waitanyinvoice, delinvoice). Adapters: {@code memory.InMemoryInvoiceStore} here, the
 * R2DBC ones (H2, PostgreSQL) in the node; one contract test holds them all to the same behaviour.
 *
 * <p>Indexes are 1-based and gap-free, and each becomes visible in its own order: a reader who has
 * seen index {@code n} will never later see a new {@code m < n}. That is what lets
 * {@link #nextPaidAfter} and paging by {@code start} never skip an invoice.
 *
 * <p>Time is always passed in (UNIX seconds); the store never reads a clock. An invoice is unpayable
 * at {@code now} when {@code expires_at <= now}.
 *
 * <p>Errors are {@link InvoiceStoreException}s (storage failures included).
 */
public interface InvoiceStore {

    /**
     * Stores a new unpaid invoice with the next {@code created_index}. A label already in use fails with
     * {@link DuplicateLabelException} carrying the existing invoice, and nothing is overwritten; a
     * payment hash already in use fails with {@link InvoiceStoreException}.
     */
    Mono<StoredInvoice> create(NewInvoice invoice);

    Mono<StoredInvoice> findByLabel(String label);

    Mono<StoredInvoice> findByPaymentHash(Bytes32 paymentHash);

    /** The invoice whose {@code bolt12} string is exactly {@code invstring}. */
    Mono<StoredInvoice> findByInvstring(String invstring);

    /** listinvoices: see {@link InvoiceListQuery} for filter, order, start and limit. */
    Flux<StoredInvoice> list(InvoiceListQuery query);

    /**
     * Atomically records a payment, at most once per invoice: the one call that finds the invoice
     * unpaid and {@code paidAt < expires_at} assigns the next {@code pay_index} and
     * {@code updated_index} and gets {@link MarkPaidOutcome.Paid}; concurrent and later calls get
     * {@link MarkPaidOutcome.AlreadyPaid}. Then a {@link InvoiceChange.Kind#PAID} change is announced.
     * Whether the amount suffices is the caller's decision, taken before.
     */
    Mono<MarkPaidOutcome> markPaid(Bytes32 paymentHash, long amountReceivedMsat, long paidAt);

    /**
     * Marks every unpaid invoice with {@code expires_at <= now} expired (each gets the next
     * {@code updated_index}, in creation order), announces each, and returns them.
     */
    Flux<StoredInvoice> expire(long now);

    /**
     * Expires the one invoice with {@code paymentHash} if it is unpaid and due ({@code expires_at <= now}),
     * with the next {@code updated_index}, announced; atomic against {@link #markPaid}, so the invoice
     * ends either paid or expired. Returns the invoice as it is afterwards (paid, expired, or still
     * unpaid when not yet due); empty when there is none. Other invoices are not touched.
     */
    Mono<StoredInvoice> expire(Bytes32 paymentHash, long now);

    /** The earliest {@code expires_at} among unpaid invoices, for scheduling {@link #expire}; empty if none. */
    Mono<Long> nextExpiry();

    /**
     * delinvoice: removes the invoice labelled {@code label} if its status is {@code expectedStatus}
     * and returns it as it was; {@link InvoiceNotFoundException} if there is none,
     * {@link InvoiceStatusMismatchException} (and nothing removed) if its status differs.
     */
    Mono<StoredInvoice> delete(String label, InvoiceStatus expectedStatus);

    /** The paid invoice with the smallest {@code pay_index > payIndex}, or empty. */
    Mono<StoredInvoice> firstPaidAfter(long payIndex);

    /**
     * A hot stream of changes, each announced after it is durable, from the moment of subscription
     * (no replay). A subscriber that cannot keep up loses changes rather than stalling the store, so
     * waiters should treat a change as "look again" ({@link #nextPaidAfter} and {@link #awaitSettled}
     * do). Completes when the store is closed.
     */
    Flux<InvoiceChange> changes();

    /**
     * waitanyinvoice: the paid invoice with the smallest {@code pay_index > payIndex}, now if there is
     * one, otherwise as soon as one is paid. Never completes empty unless the store closes; cancel it
     * (or put a timeout on it) to stop waiting.
     */
    default Mono<StoredInvoice> nextPaidAfter(long payIndex) {
        return InvoiceWaits.nextPaidAfter(this, payIndex);
    }

    /**
     * waitinvoice: the invoice labelled {@code label} once it is no longer unpaid, so with status
     * {@code paid} or {@code expired}. Empty when there is no such invoice or it is deleted while
     * unpaid.
     */
    default Mono<StoredInvoice> awaitSettled(String label) {
        return InvoiceWaits.awaitSettled(this, label);
    }
}
