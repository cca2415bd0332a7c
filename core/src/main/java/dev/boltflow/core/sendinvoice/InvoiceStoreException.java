package dev.boltflow.core.sendinvoice;

/**
 * A store operation failed: the base of the store's typed errors, and on its own a storage failure
 * (database unreachable, constraint the caller could not foresee...). Messages never carry preimages.
 */
public class InvoiceStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvoiceStoreException(String message) {
        super(message);
    }

    public InvoiceStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
