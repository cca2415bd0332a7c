package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;

/** A 64-byte BIP-340 Schnorr signature (BOLT 12 {@code bip340sig}). */
public record Signature(Bytes bytes) {
    public static final int LENGTH = 64;

    public Signature {
        if (bytes == null || bytes.length() != LENGTH) {
            throw new DecodeException("a bip340 signature is 64 bytes, got " + (bytes == null ? "null" : bytes.length()));
        }
    }

    public static Signature fromHex(String hex) {
        return new Signature(Bytes.fromHex(hex));
    }

    public byte[] toArray() {
        return bytes.toArray();
    }

    @Override
    public String toString() {
        return bytes.toHex();
    }
}
