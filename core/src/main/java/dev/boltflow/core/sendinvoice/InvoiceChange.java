package dev.boltflow.core.sendinvoice;

import java.util.Objects;

/**
 * One state change, as {@link InvoiceStore#changes()} announces it after it is durable: what
 * {@code waitinvoice} and {@code waitanyinvoice} wait for. Creation is not announced.
 *
 * @param invoice the invoice after the change ({@link Kind#DELETED}: as it was when deleted)
 */
public record InvoiceChange(Kind kind, StoredInvoice invoice) {

    public enum Kind {
        /** unpaid → paid; the invoice carries its pay_index. */
        PAID,
        /** unpaid → expired. */
        EXPIRED,
        /** removed by {@link InvoiceStore#delete}. */
        DELETED
    }

    public InvoiceChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(invoice, "invoice");
    }

    public static InvoiceChange paid(StoredInvoice invoice) {
        return new InvoiceChange(Kind.PAID, invoice);
    }

    public static InvoiceChange expired(StoredInvoice invoice) {
        return new InvoiceChange(Kind.EXPIRED, invoice);
    }

    public static InvoiceChange deleted(StoredInvoice invoice) {
        return new InvoiceChange(Kind.DELETED, invoice);
    }
}
