package dev.boltflow.core.wire;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.PublicKey;
import java.util.Objects;

/**
 * BOLT 1 {@code point} as it stands in a gossip message: 33 bytes, not yet known to be a point on
 * the curve. Decoding a gossip message only slices bytes (it runs on the connection's event loop);
 * the curve check, a square root, is done by whoever verifies the message ({@link #toPublicKey}), so
 * a bad point is that message's fault and never the connection's.
 */
public record Point(Bytes bytes) implements Comparable<Point> {
    public static final int LENGTH = PublicKey.LENGTH;

    public Point {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length() != LENGTH) {
            throw new IllegalArgumentException("a point is 33 bytes, got " + bytes.length());
        }
    }

    public static Point of(PublicKey key) {
        return new Point(key.bytes());
    }

    public static Point fromHex(String hex) {
        return new Point(Bytes.fromHex(hex));
    }

    /** The validated key; a {@link DecodeException} when these bytes are not a compressed point. */
    public PublicKey toPublicKey() {
        return PublicKey.fromBytes(bytes);
    }

    @Override
    public int compareTo(Point o) {
        return bytes.compareTo(o.bytes);
    }

    @Override
    public String toString() {
        return bytes.toHex();
    }
}
