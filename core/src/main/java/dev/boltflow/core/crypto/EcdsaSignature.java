package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;

/**
 * BOLT 1 {@code signature}: a 64-byte ECDSA signature in compact form, 32-byte big-endian r ‖ 32-byte
 * big-endian s. Any 64 bytes are held; whether they verify is {@link Ecdsa#verify}'s business.
 */
public record EcdsaSignature(Bytes bytes) {
    public static final int LENGTH = 64;

    public EcdsaSignature {
        if (bytes == null || bytes.length() != LENGTH) {
            throw new DecodeException("a signature is 64 bytes, got " + (bytes == null ? "null" : bytes.length()));
        }
    }

    public byte[] toArray() {
        return bytes.toArray();
    }

    @Override
    public String toString() {
        return bytes.toHex();
    }
}
