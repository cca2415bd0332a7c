package dev.boltflow.core.tlv;

import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import java.util.Objects;

/**
 * One TLV record as it stands on the wire. {@code type} is an unsigned 64-bit value held in a
 * {@code long}; compare types with {@link Long#compareUnsigned}.
 */
public record TlvRecord(long type, Bytes value) {
    public TlvRecord {
        Objects.requireNonNull(value, "value");
    }

    public boolean isOdd() {
        return (type & 1) == 1;
    }

    public int encodedLength() {
        return ByteWriter.bigSizeLength(type) + ByteWriter.bigSizeLength(value.length()) + value.length();
    }

    public void writeTo(ByteWriter w) {
        w.bigSize(type).bigSize(value.length()).bytes(value);
    }

    /** type ‖ length ‖ value, as BOLT 12's merkle leaves hash it. */
    public byte[] encode() {
        ByteWriter w = new ByteWriter(encodedLength());
        writeTo(w);
        return w.toByteArray();
    }
}
