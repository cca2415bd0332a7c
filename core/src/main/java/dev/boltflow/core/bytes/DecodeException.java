package dev.boltflow.core.bytes;

/**
 * A byte or string input that cannot be decoded. Every decoder in core throws this type (or a
 * subclass) for bad input: never an index error from a truncated buffer.
 */
public class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }

    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
