package dev.boltflow.core.sendinvoice;

/** An onion message that could not be handed to a first hop. */
public final class OnionMessengerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No onion-message route to the destination and connecting directly is disabled. */
        NO_ROUTE,
        /** No route, and the direct connection failed or the node has no known address. */
        CONNECT_FAILED,
        /** The destination cannot be used (e.g. an unresolved short channel id, a path with no hops). */
        INVALID_DESTINATION,
        /** The first hop's send queue is full. */
        BUSY
    }

    private final Reason reason;

    public OnionMessengerException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OnionMessengerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
