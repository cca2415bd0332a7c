package dev.boltflow.core.sendinvoice;

/**
 * The invoice's status is not the one the caller expected, so it was left alone (Core Lightning's
 * delinvoice answers 906 with {@code current_status} and {@code expected_status}).
 */
public final class InvoiceStatusMismatchException extends InvoiceStoreException {
    private static final long serialVersionUID = 1L;

    private final String label;
    private final InvoiceStatus currentStatus;
    private final InvoiceStatus expectedStatus;

    public InvoiceStatusMismatchException(String label, InvoiceStatus currentStatus, InvoiceStatus expectedStatus) {
        super("invoice '" + label + "' is " + currentStatus.wireName() + ", not " + expectedStatus.wireName());
        this.label = label;
        this.currentStatus = currentStatus;
        this.expectedStatus = expectedStatus;
    }

    public String label() {
        return label;
    }

    public InvoiceStatus currentStatus() {
        return currentStatus;
    }

    public InvoiceStatus expectedStatus() {
        return expectedStatus;
    }
}
