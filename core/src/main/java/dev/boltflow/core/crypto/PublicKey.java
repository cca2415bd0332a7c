package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;

/** A valid secp256k1 point in its 33-byte compressed form (BOLT 1 {@code point}). */
public final class PublicKey implements Comparable<PublicKey> {
    public static final int LENGTH = 33;

    private final Bytes encoded;
    /** The provider that made {@link #handle}, and its parsed form of this point. */
    private final Secp256k1Provider provider;
    private final Object handle;

    private PublicKey(Bytes encoded, Secp256k1Provider provider, Object handle) {
        this.encoded = encoded;
        this.provider = provider;
        this.handle = handle;
    }

    /** Parses and validates; a point off the curve is a {@link dev.boltflow.core.bytes.DecodeException}. */
    public static PublicKey fromBytes(byte[] compressed) {
        Secp256k1Provider p = Secp256k1Providers.current();
        byte[] copy = compressed.clone();
        return new PublicKey(Bytes.wrap(copy), p, p.parse(copy));
    }

    public static PublicKey fromBytes(Bytes compressed) {
        return fromBytes(compressed.toArray());
    }

    public static PublicKey fromHex(String hex) {
        return fromBytes(Bytes.fromHex(hex));
    }

    /** A point a provider computed. */
    static PublicKey fromHandle(Secp256k1Provider provider, Object handle) {
        return new PublicKey(Bytes.wrap(provider.serialize(handle)), provider, handle);
    }

    /** This point as {@code p} knows it: our handle when {@code p} made it, else parsed again. */
    Object handle(Secp256k1Provider p) {
        return p == provider ? handle : p.parse(encoded.toArray());
    }

    public Bytes bytes() {
        return encoded;
    }

    public byte[] toArray() {
        return encoded.toArray();
    }

    /** The 32-byte x coordinate (BIP-340 x-only key). */
    public Bytes32 xOnly() {
        return new Bytes32(encoded.slice(1, 33));
    }

    public boolean hasEvenY() {
        return encoded.get(0) == 2;
    }

    /** this·tweak, for a public tweak (blinded node ids, next path keys). */
    public PublicKey multiply(Bytes32 tweak) {
        Secp256k1Provider p = Secp256k1Providers.current();
        return fromHandle(p, p.tweak(handle(p), tweak.toArray()));
    }

    /** this + other; an {@link IllegalArgumentException} if they sum to the point at infinity. */
    public PublicKey add(PublicKey other) {
        Secp256k1Provider p = Secp256k1Providers.current();
        return fromHandle(p, p.add(handle(p), other.handle(p)));
    }

    public String toHex() {
        return encoded.toHex();
    }

    @Override
    public int compareTo(PublicKey o) {
        return encoded.compareTo(o.encoded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && encoded.equals(k.encoded);
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    @Override
    public String toString() {
        return encoded.toHex();
    }

}
