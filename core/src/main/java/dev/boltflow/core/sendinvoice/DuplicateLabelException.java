package dev.boltflow.core.sendinvoice;

import java.util.Objects;

/** {@link InvoiceStore#create} refused a label already in use; the existing invoice is untouched. */
public final class DuplicateLabelException extends InvoiceStoreException {
    private static final long serialVersionUID = 1L;

    private final transient StoredInvoice existing;

    public DuplicateLabelException(StoredInvoice existing) {
        super("an invoice labelled '" + existing.label() + "' already exists");
        this.existing = Objects.requireNonNull(existing, "existing");
    }

    /** The invoice that holds the label. */
    public StoredInvoice existing() {
        return existing;
    }
}
