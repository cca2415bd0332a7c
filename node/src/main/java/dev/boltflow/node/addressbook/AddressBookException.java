package dev.boltflow.node.addressbook;

/** The address book file could not be read, is not an address book, or could not be written. */
public final class AddressBookException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AddressBookException(String message, Throwable cause) {
        super(message, cause);
    }
}
