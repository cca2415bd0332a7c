package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * ECDSA over secp256k1 as BOLT 7 uses it: signatures of a double-SHA256 hash
 * ({@link #doubleSha256}), in BOLT 1's compact 64-byte form. Computed by the installed
 * {@link Secp256k1Provider}. Verification never throws on garbage.
 */
public final class Ecdsa {
    private Ecdsa() {
    }

    /** SHA256(SHA256(bytes[from, to))): what BOLT 7's gossip signatures sign. */
    public static Bytes32 doubleSha256(byte[] bytes, int from, int to) {
        SHA256Digest d = new SHA256Digest();
        d.update(bytes, from, to - from);
        byte[] once = new byte[32];
        d.doFinal(once, 0);
        d.update(once, 0, 32);
        byte[] twice = new byte[32];
        d.doFinal(twice, 0);
        return Bytes32.wrap(twice);
    }

    /** Deterministic (RFC 6979), low-s signature of {@code hash}: the bytes libsecp256k1 writes. */
    public static EcdsaSignature sign(PrivateKey key, Bytes32 hash) {
        byte[] secret = key.toBytes();
        try {
            return new EcdsaSignature(Bytes.wrap(Secp256k1Providers.current().signEcdsa(secret, hash.toArray())));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** True when {@code sig} is a valid signature of {@code hash} by {@code key}. */
    public static boolean verify(PublicKey key, Bytes32 hash, EcdsaSignature sig) {
        Secp256k1Provider provider = Secp256k1Providers.current();
        return provider.verifyEcdsa(key.handle(provider), hash.toArray(), sig.toArray());
    }
}
