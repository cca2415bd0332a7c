package dev.boltflow.transport;

/** Base of the transport's typed errors. */
public abstract class PeerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected PeerException(String message) {
        super(message);
    }

    protected PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
