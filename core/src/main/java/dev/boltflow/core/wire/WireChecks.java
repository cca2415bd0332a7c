package dev.boltflow.core.wire;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.tlv.TlvRecord;
import dev.boltflow.core.tlv.TlvStream;
import java.util.Objects;

/** The checks the message records of this package make in their compact constructors. */
final class WireChecks {
    private WireChecks() {
    }

    static void requireU8(int v, String what) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException(what + " must fit a byte: " + v);
        }
    }

    static void requireU16(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " must fit a u16: " + v);
        }
    }

    static void requireU32(long v, String what) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(what + " must fit a u32: " + v);
        }
    }

    static void requireU16Length(Bytes b, String what) {
        if (b.length() > 0xffff) {
            throw new IllegalArgumentException(what + " longer than 65535 bytes");
        }
    }

    /** Only odd records: the extensions and TLV streams here define no even type we do not model. */
    static void requireOddOnly(TlvStream tlvs, String what) {
        Objects.requireNonNull(tlvs, what);
        for (TlvRecord r : tlvs.records()) {
            if (!r.isOdd()) {
                throw new IllegalArgumentException(what + ": even TLV type " + Long.toUnsignedString(r.type())
                        + " is not defined and may not be sent without negotiation");
            }
        }
    }

    /** A record that has a field of its own may not also stand among the unknown ones. */
    static void requireNot(TlvStream tlvs, long type) {
        if (tlvs.value(type).isPresent()) {
            throw new IllegalArgumentException("TLV " + type + " belongs in its own field");
        }
    }
}
