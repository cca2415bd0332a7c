package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * BIP-340 Schnorr signatures over secp256k1 (BOLT 12 {@code bip340sig}), computed by the installed
 * {@link Secp256k1Provider} (see {@link BouncyCastleSecp256k1} for how the default one signs).
 *
 * <p>Verification never throws on garbage: a key that is not an x coordinate on the curve, r ≥ p or
 * s ≥ n simply give {@code false}.
 */
public final class Schnorr {
    private Schnorr() {
    }

    /** BIP-340 signature of a 32-byte message, with the given 32 bytes of auxiliary randomness. */
    public static Signature sign(PrivateKey key, Bytes32 msg, Bytes32 auxRand) {
        return sign(key, msg.toArray(), auxRand.toArray());
    }

    /** As {@link #sign(PrivateKey, Bytes32, Bytes32)} with fresh auxiliary randomness. */
    public static Signature sign(PrivateKey key, Bytes32 msg, SecureRandom random) {
        return sign(key, msg.toArray(), freshAux(random));
    }

    /** BIP-340 allows messages of any length; BOLT 12 signs 32-byte tagged hashes. */
    public static Signature sign(PrivateKey key, Bytes msg, Bytes32 auxRand) {
        return sign(key, msg.toArray(), auxRand.toArray());
    }

    public static Signature sign(PrivateKey key, Bytes msg, SecureRandom random) {
        return sign(key, msg.toArray(), freshAux(random));
    }

    private static byte[] freshAux(SecureRandom random) {
        byte[] aux = new byte[32];
        random.nextBytes(aux);
        return aux;
    }

    private static Signature sign(PrivateKey key, byte[] msg, byte[] aux) {
        Secp256k1Provider provider = Secp256k1Providers.current();
        byte[] secret = key.toBytes();
        try {
            return new Signature(Bytes.wrap(provider.signSchnorr(secret, key.publicKey().handle(provider), msg, aux)));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** BIP-340 verification against a 32-byte x-only public key. Never throws on bad input. */
    public static boolean verify(Bytes32 xOnlyKey, Bytes32 msg, Signature sig) {
        return Secp256k1Providers.current().verifySchnorr(xOnlyKey.toArray(), null, msg.toArray(), sig.toArray());
    }

    /** As {@link #verify(Bytes32, Bytes32, Signature)} for a message of any length. */
    public static boolean verify(Bytes32 xOnlyKey, Bytes msg, Signature sig) {
        return Secp256k1Providers.current().verifySchnorr(xOnlyKey.toArray(), null, msg.toArray(), sig.toArray());
    }

    /**
     * Verification against the x-only form of {@code key} (its x coordinate; the point with even y
     * is what BIP-340 means, whatever the parity of {@code key}). Skips lift_x's square root.
     */
    public static boolean verify(PublicKey key, Bytes32 msg, Signature sig) {
        return verify(key, msg.toArray(), sig);
    }

    public static boolean verify(PublicKey key, Bytes msg, Signature sig) {
        return verify(key, msg.toArray(), sig);
    }

    private static boolean verify(PublicKey key, byte[] msg, Signature sig) {
        Secp256k1Provider provider = Secp256k1Providers.current();
        return provider.verifySchnorr(key.xOnly().toArray(), key.handle(provider), msg, sig.toArray());
    }
}
