package dev.boltflow.core.bytes;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value semantics; what records carry instead of {@code byte[]}. */
public final class Bytes implements Comparable<Bytes> {
    private static final HexFormat HEX = HexFormat.of();
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /** A copy of {@code data[from, to)}. */
    public static Bytes of(byte[] data, int from, int to) {
        return from == to ? EMPTY : new Bytes(Arrays.copyOfRange(data, from, to));
    }

    /**
     * Takes ownership of {@code data} without copying. The caller must not touch the array again;
     * for freshly built arrays on hot paths.
     */
    public static Bytes wrap(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data);
    }

    public static Bytes fromHex(String hex) {
        try {
            return wrap(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new DecodeException("invalid hex: " + e.getMessage(), e);
        }
    }

    public int length() {
        return data.length;
    }

    public boolean isEmpty() {
        return data.length == 0;
    }

    public byte get(int index) {
        return data[index];
    }

    /** A fresh copy of the bytes. */
    public byte[] toArray() {
        return data.clone();
    }

    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    public Bytes slice(int from, int to) {
        return of(data, from, to);
    }

    public Bytes concat(Bytes other) {
        byte[] out = Arrays.copyOf(data, data.length + other.data.length);
        System.arraycopy(other.data, 0, out, data.length, other.data.length);
        return wrap(out);
    }

    public String toHex() {
        return HEX.formatHex(data);
    }

    /** Compares in time that depends only on the lengths: for MACs, ids and secrets. */
    public boolean constantTimeEquals(Bytes other) {
        return MessageDigest.isEqual(data, other.data);
    }

    /** Lexicographic unsigned comparison, as BOLT 12's merkle tree orders its nodes. */
    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(data, o.data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
