package dev.boltflow.core.tlv;

import dev.boltflow.core.bytes.DecodeException;

/** A TLV stream that breaks BOLT 1 "Type-Length-Value Format" (or a record's own format). */
public final class TlvDecodeException extends DecodeException {
    private static final long serialVersionUID = 1L;

    /** The record type the failure is about, or -1 when it is about the stream itself. */
    private final long type;

    public TlvDecodeException(long type, String message) {
        super(message);
        this.type = type;
    }

    public TlvDecodeException(long type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public long type() {
        return type;
    }
}
