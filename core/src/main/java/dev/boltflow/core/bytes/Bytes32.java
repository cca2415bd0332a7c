package dev.boltflow.core.bytes;

import java.security.SecureRandom;

/** Exactly 32 bytes: hashes, chain hashes, secrets' public counterparts, path ids. */
public record Bytes32(Bytes bytes) implements Comparable<Bytes32> {
    public static final int LENGTH = 32;
    public static final Bytes32 ZERO = new Bytes32(Bytes.wrap(new byte[LENGTH]));

    public Bytes32 {
        if (bytes == null || bytes.length() != LENGTH) {
            throw new DecodeException("expected 32 bytes, got " + (bytes == null ? "null" : bytes.length()));
        }
    }

    public static Bytes32 of(byte[] data) {
        return new Bytes32(Bytes.of(data));
    }

    public static Bytes32 wrap(byte[] data) {
        return new Bytes32(Bytes.wrap(data));
    }

    public static Bytes32 fromHex(String hex) {
        return new Bytes32(Bytes.fromHex(hex));
    }

    public static Bytes32 random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return wrap(b);
    }

    public byte[] toArray() {
        return bytes.toArray();
    }

    public String toHex() {
        return bytes.toHex();
    }

    @Override
    public int compareTo(Bytes32 o) {
        return bytes.compareTo(o.bytes);
    }

    @Override
    public String toString() {
        return bytes.toHex();
    }
}
