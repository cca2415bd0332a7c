package dev.boltflow.core.wire;

import dev.boltflow.core.bytes.DecodeException;
import java.util.Objects;

/**
 * A Lightning message that cannot be decoded (BOLT 1, Lightning Message Format). {@link #kind()}
 * says what went wrong and {@link #mustCloseConnection()} what the receiver must do about it.
 */
public final class WireDecodeException extends DecodeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, and whether BOLT 1 requires closing the connection for it. */
    public enum Kind {
        /** No 2-byte type, or a known message "with insufficient length for the contents": MUST close. */
        TRUNCATED(true),
        /** A message "of even, unknown type": MUST close. */
        UNKNOWN_EVEN_TYPE(true),
        /** The TLV {@code extension} is invalid (bad TLV stream, unknown even record, malformed known record): MUST close. */
        INVALID_EXTENSION(true),
        /**
         * A field of a known message holds a value it cannot (e.g. an {@code onion_message}
         * {@code path_key} that is not a point). BOLT 1 does not require closing; the caller may
         * send a {@code warning} and ignore the message.
         */
        INVALID_FIELD(false);

        private final boolean closesConnection;

        Kind(boolean closesConnection) {
            this.closesConnection = closesConnection;
        }

        public boolean closesConnection() {
            return closesConnection;
        }
    }

    private final Kind kind;
    private final int messageType;

    public WireDecodeException(Kind kind, int messageType, String message) {
        super(describe(kind, messageType, message));
        this.kind = Objects.requireNonNull(kind, "kind");
        this.messageType = messageType;
    }

    public WireDecodeException(Kind kind, int messageType, String message, Throwable cause) {
        super(describe(kind, messageType, message), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.messageType = messageType;
    }

    private static String describe(Kind kind, int messageType, String message) {
        return kind + (messageType >= 0 ? " (type " + messageType + ")" : "") + ": " + message;
    }

    public Kind kind() {
        return kind;
    }

    /** The message type, or -1 when the input was too short to hold one. */
    public int messageType() {
        return messageType;
    }

    /** True when BOLT 1 says the receiver MUST close the connection. */
    public boolean mustCloseConnection() {
        return kind.closesConnection();
    }
}
