package dev.boltflow.core.sendinvoice;

/** No invoice has this label (Core Lightning's delinvoice answers 905). */
public final class InvoiceNotFoundException extends InvoiceStoreException {
    private static final long serialVersionUID = 1L;

    private final String label;

    public InvoiceNotFoundException(String label) {
        super("no invoice labelled '" + label + "'");
        this.label = label;
    }

    public String label() {
        return label;
    }
}
