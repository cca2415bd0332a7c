package dev.boltflow.core.tlv;

import dev.boltflow.core.bytes.ByteReader;
import dev.boltflow.core.bytes.ByteWriter;
import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * An immutable TLV stream: records in strictly increasing type order, each kept byte for byte so
 * unknown odd records survive a decode/encode round trip (BOLT 1 "Type-Length-Value Format").
 */
public final class TlvStream {
    public static final TlvStream EMPTY = new TlvStream(List.of());

    private final List<TlvRecord> records;

    private TlvStream(List<TlvRecord> records) {
        this.records = records;
    }

    /** Records that must already be in strictly increasing type order. */
    public static TlvStream of(List<TlvRecord> records) {
        List<TlvRecord> copy = List.copyOf(records);
        for (int i = 1; i < copy.size(); i++) {
            if (Long.compareUnsigned(copy.get(i - 1).type(), copy.get(i).type()) >= 0) {
                throw new IllegalArgumentException("TLV records not in strictly increasing order at type "
                        + Long.toUnsignedString(copy.get(i).type()));
            }
        }
        return new TlvStream(copy);
    }

    /** Records in any order; sorted here, duplicates refused. */
    public static TlvStream sorted(List<TlvRecord> records) {
        List<TlvRecord> copy = new ArrayList<>(records);
        copy.sort((a, b) -> Long.compareUnsigned(a.type(), b.type()));
        return of(copy);
    }

    /**
     * Decodes a whole byte array as a TLV stream with the generic rules of BOLT 1: minimal BigSize
     * type and length, length within the input, strictly increasing types (no duplicates). Every
     * record is kept; namespace rules (unknown even types) are {@link #decode(byte[], LongPredicate)}'s.
     */
    public static TlvStream decode(byte[] data) {
        return decode(new ByteReader(data));
    }

    /** As {@link #decode(byte[])}, consuming the rest of {@code in}. */
    public static TlvStream decode(ByteReader in) {
        List<TlvRecord> out = new ArrayList<>();
        long previous = -1;
        boolean first = true;
        while (!in.isEmpty()) {
            long type;
            try {
                type = in.bigSize("TLV type");
            } catch (DecodeException e) {
                throw new TlvDecodeException(-1, e.getMessage(), e);
            }
            if (!first && Long.compareUnsigned(type, previous) <= 0) {
                throw new TlvDecodeException(type, Long.compareUnsigned(type, previous) == 0
                        ? "duplicate TLV type " + Long.toUnsignedString(type)
                        : "TLV type " + Long.toUnsignedString(type) + " out of order after "
                                + Long.toUnsignedString(previous));
            }
            long length;
            try {
                length = in.bigSize("TLV length");
            } catch (DecodeException e) {
                throw new TlvDecodeException(type, e.getMessage() + " (type " + Long.toUnsignedString(type) + ")", e);
            }
            if (Long.compareUnsigned(length, in.remaining()) > 0) {
                throw new TlvDecodeException(type, "TLV value truncated: type " + Long.toUnsignedString(type)
                        + " declares " + Long.toUnsignedString(length) + " bytes, " + in.remaining() + " remain");
            }
            out.add(new TlvRecord(type, in.read((int) length, "TLV value")));
            previous = type;
            first = false;
        }
        return new TlvStream(Collections.unmodifiableList(out));
    }

    /**
     * Decodes, then applies the namespace rule of BOLT 1: an unknown even type fails the stream,
     * an unknown odd one is kept as is. {@code known} says which types this namespace defines.
     */
    public static TlvStream decode(byte[] data, LongPredicate known) {
        TlvStream s = decode(data);
        s.requireKnownEven(known);
        return s;
    }

    /** Rejects any even type outside {@code known} (BOLT 1: "unknown even type"). */
    public void requireKnownEven(LongPredicate known) {
        for (TlvRecord r : records) {
            if (!r.isOdd() && !known.test(r.type())) {
                throw new TlvDecodeException(r.type(), "unknown even TLV type " + Long.toUnsignedString(r.type()));
            }
        }
    }

    public List<TlvRecord> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public Optional<TlvRecord> find(long type) {
        // Streams are short (tens of records): a linear scan beats a map here.
        for (TlvRecord r : records) {
            if (r.type() == type) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public Optional<Bytes> value(long type) {
        return find(type).map(TlvRecord::value);
    }

    public boolean contains(long type) {
        return find(type).isPresent();
    }

    /** The records whose type {@code keep} accepts, in order. */
    public TlvStream filter(LongPredicate keep) {
        List<TlvRecord> out = new ArrayList<>(records.size());
        for (TlvRecord r : records) {
            if (keep.test(r.type())) {
                out.add(r);
            }
        }
        return new TlvStream(Collections.unmodifiableList(out));
    }

    /** This stream with {@code extra} records merged in by type (duplicates refused). */
    public TlvStream with(List<TlvRecord> extra) {
        List<TlvRecord> all = new ArrayList<>(records);
        all.addAll(extra);
        return sorted(all);
    }

    public int encodedLength() {
        int n = 0;
        for (TlvRecord r : records) {
            n += r.encodedLength();
        }
        return n;
    }

    public void writeTo(ByteWriter w) {
        for (TlvRecord r : records) {
            r.writeTo(w);
        }
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(encodedLength());
        writeTo(w);
        return w.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlvStream s && records.equals(s.records);
    }

    @Override
    public int hashCode() {
        return records.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TlvStream[");
        for (TlvRecord r : records) {
            sb.append(Long.toUnsignedString(r.type())).append(':').append(r.value().length()).append("B ");
        }
        return sb.append(']').toString();
    }
}
