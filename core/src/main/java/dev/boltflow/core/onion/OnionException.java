package dev.boltflow.core.onion;

/**
 * A message or path this node cannot build: the caller asked for something the spec or the packet
 * size does not allow. Receiving never throws this (see {@link OnionMessages#peel}); bad input from
 * the network is a {@link dev.boltflow.core.bytes.DecodeException} or a {@link PeelResult.Drop}.
 */
public final class OnionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that map it to their own errors. */
    public enum Reason {
        /** The hop payloads fit neither 1300 nor (onion messages only) 32768 bytes. */
        PACKET_TOO_BIG,
        /** No hop to send to, or hops and payloads that do not pair up. */
        INVALID_ROUTE,
        /** A blinded path whose introduction node is a short channel id we were not told how to resolve. */
        UNRESOLVED_INTRODUCTION_NODE,
        /** A blinded path we are in whose hop for us does not decrypt or does not say where to go. */
        INVALID_BLINDED_PATH,
        /** The message would be delivered to ourselves. */
        DESTINATION_IS_US,
        /** Fees or amounts that do not fit their fields. */
        INVALID_PAYMENT_PARAMETERS
    }

    private final Reason reason;

    public OnionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OnionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
