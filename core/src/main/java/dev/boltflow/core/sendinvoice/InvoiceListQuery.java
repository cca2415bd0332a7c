package dev.boltflow.core.sendinvoice;

import dev.boltflow.core.bytes.Bytes32;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parameters of Core Lightning's {@code listinvoices}: at most one filter (label, invstring,
 * payment_hash or offer_id) and an index with {@code start} and {@code limit}.
 *
 * <p>Results are ordered by the chosen index. With {@link ListIndex#CREATED} an invoice is listed when
 * {@code created_index >= start}; with {@link ListIndex#UPDATED} only invoices that have an
 * {@code updated_index >= start} are listed. A filter and an index may be combined (both apply);
 * whether the JSON-RPC layer allows that is its decision.
 *
 * @param limit at most this many invoices (a u32), or all
 */
public record InvoiceListQuery(
        Optional<String> label,
        Optional<String> invstring,
        Optional<Bytes32> paymentHash,
        Optional<Bytes32> offerId,
        ListIndex index,
        long start,
        OptionalLong limit) {

    /** listinvoices' {@code index}. */
    public enum ListIndex {
        CREATED("created"),
        UPDATED("updated");

        private final String wireName;

        ListIndex(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public static final long MAX_LIMIT = 0xFFFF_FFFFL;

    public InvoiceListQuery {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(invstring, "invstring");
        Objects.requireNonNull(paymentHash, "paymentHash");
        Objects.requireNonNull(offerId, "offerId");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(limit, "limit");
        int filters = (label.isPresent() ? 1 : 0) + (invstring.isPresent() ? 1 : 0)
                + (paymentHash.isPresent() ? 1 : 0) + (offerId.isPresent() ? 1 : 0);
        if (filters > 1) {
            throw new IllegalArgumentException("only one of label, invstring, payment_hash or offer_id");
        }
        if (start < 0) {
            throw new IllegalArgumentException("start must not be negative");
        }
        if (limit.isPresent() && (limit.getAsLong() < 0 || limit.getAsLong() > MAX_LIMIT)) {
            throw new IllegalArgumentException("limit must be a u32");
        }
    }

    /** Every invoice, by creation. */
    public static InvoiceListQuery all() {
        return new InvoiceListQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                ListIndex.CREATED, 0, OptionalLong.empty());
    }

    public static InvoiceListQuery byLabel(String label) {
        return all().with(Optional.of(label), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static InvoiceListQuery byInvstring(String invstring) {
        return all().with(Optional.empty(), Optional.of(invstring), Optional.empty(), Optional.empty());
    }

    public static InvoiceListQuery byPaymentHash(Bytes32 paymentHash) {
        return all().with(Optional.empty(), Optional.empty(), Optional.of(paymentHash), Optional.empty());
    }

    public static InvoiceListQuery byOfferId(Bytes32 offerId) {
        return all().with(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(offerId));
    }

    /** This query ordered by {@code index}, from {@code start}, at most {@code limit} entries. */
    public InvoiceListQuery indexed(ListIndex index, long start, OptionalLong limit) {
        return new InvoiceListQuery(label, invstring, paymentHash, offerId, index, start, limit);
    }

    /** Whether {@code invoice} passes the filter and the index's {@code start} (the limit aside). */
    public boolean matches(StoredInvoice invoice) {
        if (label.isPresent() && !label.get().equals(invoice.label())) {
            return false;
        }
        if (invstring.isPresent() && !invstring.get().equals(invoice.bolt12())) {
            return false;
        }
        if (paymentHash.isPresent() && !paymentHash.get().equals(invoice.paymentHash())) {
            return false;
        }
        if (offerId.isPresent() && !offerId.equals(invoice.localOfferId())) {
            return false;
        }
        if (index == ListIndex.CREATED) {
            return invoice.createdIndex() >= start;
        }
        return invoice.updatedIndex().isPresent() && invoice.updatedIndex().getAsLong() >= start;
    }

    private InvoiceListQuery with(Optional<String> l, Optional<String> i, Optional<Bytes32> h, Optional<Bytes32> o) {
        return new InvoiceListQuery(l, i, h, o, index, start, limit);
    }
}
