package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/** A valid secp256k1 point in its 33-byte compressed form (BOLT 1 {@code point}). */
public final class PublicKey implements Comparable<PublicKey> {
    public static final int LENGTH = 33;

    private final Bytes encoded;
    private final ECPoint point;

    private PublicKey(Bytes encoded, ECPoint point) {
        this.encoded = encoded;
        this.point = point;
    }

    /** Parses and validates; a point off the curve is a {@link dev.boltflow.core.bytes.DecodeException}. */
    public static PublicKey fromBytes(byte[] compressed) {
        ECPoint p = Secp256k1.decodeCompressed(compressed);
        return new PublicKey(Bytes.of(compressed), p);
    }

    public static PublicKey fromBytes(Bytes compressed) {
        return fromBytes(compressed.toArray());
    }

    public static PublicKey fromHex(String hex) {
        return fromBytes(Bytes.fromHex(hex));
    }

    public static PublicKey fromPoint(ECPoint p) {
        ECPoint n = p.normalize();
        return new PublicKey(Bytes.wrap(Secp256k1.encodeCompressed(n)), n);
    }

    public ECPoint point() {
        return point;
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
        return fromPoint(point.multiply(new BigInteger(1, tweak.toArray())));
    }

    public PublicKey add(PublicKey other) {
        return fromPoint(point.add(other.point));
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
