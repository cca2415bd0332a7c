package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * BIP-340 Schnorr signatures over secp256k1 (BOLT 12 {@code bip340sig}), on BouncyCastle.
 *
 * <p>Signing follows BIP-340 "Default Signing" exactly, including the auxiliary randomness and the
 * final self-verification it recommends against fault attacks. R = k·G uses BouncyCastle's
 * fixed-point comb, whose table reads do not depend on k. The scalar arithmetic (negation, k + e·d
 * mod n) uses {@link BigInteger}, which is not constant-time; BouncyCastle's own signers do the same.
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

    // BIP-340, "Default Signing".
    private static Signature sign(PrivateKey key, byte[] msg, byte[] aux) {
        PublicKey pub = key.publicKey();
        byte[] px = pub.xOnly().toArray();
        // d = d' if has_even_y(P) else n - d' (P is public, so branching on its parity leaks nothing).
        BigInteger d = pub.hasEvenY() ? key.scalar() : Secp256k1.N.subtract(key.scalar());
        byte[] t = Secp256k1.toBytes32(d);
        byte[] auxHash = TaggedHash.BIP340_AUX.hash(aux).toArray();
        for (int i = 0; i < 32; i++) {
            t[i] ^= auxHash[i];
        }
        byte[] rand = TaggedHash.BIP340_NONCE.hash(t, px, msg).toArray();
        Arrays.fill(t, (byte) 0);
        BigInteger k0 = new BigInteger(1, rand).mod(Secp256k1.N);
        Arrays.fill(rand, (byte) 0);
        if (k0.signum() == 0) {
            // Probability about 2^-256: BIP-340 says to fail.
            throw new IllegalStateException("BIP-340 nonce is zero");
        }
        ECPoint r = Secp256k1.multiplyG(k0);
        BigInteger k = Secp256k1.hasEvenY(r) ? k0 : Secp256k1.N.subtract(k0);
        byte[] sig = new byte[64];
        r.getAffineXCoord().encodeTo(sig, 0);
        BigInteger e = challenge(sig, px, msg);
        BigInteger s = k.add(e.multiply(d)).mod(Secp256k1.N);
        byte[] sBytes = Secp256k1.toBytes32(s);
        System.arraycopy(sBytes, 0, sig, 32, 32);
        // "the signature is verified before it is returned": a fault must not leak the key.
        if (!verify(pub.point(), pub.hasEvenY(), px, msg, sig)) {
            throw new IllegalStateException("BIP-340 signature failed its own verification");
        }
        return new Signature(Bytes.wrap(sig));
    }

    /** BIP-340 verification against a 32-byte x-only public key. Never throws on bad input. */
    public static boolean verify(Bytes32 xOnlyKey, Bytes32 msg, Signature sig) {
        return verify(xOnlyKey, msg.toArray(), sig);
    }

    /** As {@link #verify(Bytes32, Bytes32, Signature)} for a message of any length. */
    public static boolean verify(Bytes32 xOnlyKey, Bytes msg, Signature sig) {
        return verify(xOnlyKey, msg.toArray(), sig);
    }

    /**
     * Verification against the x-only form of {@code key} (its x coordinate; the point with even y
     * is what BIP-340 means, whatever the parity of {@code key}). Skips lift_x's square root.
     */
    public static boolean verify(PublicKey key, Bytes32 msg, Signature sig) {
        return verify(key.point(), key.hasEvenY(), key.xOnly().toArray(), msg.toArray(), sig.toArray());
    }

    public static boolean verify(PublicKey key, Bytes msg, Signature sig) {
        return verify(key.point(), key.hasEvenY(), key.xOnly().toArray(), msg.toArray(), sig.toArray());
    }

    private static boolean verify(Bytes32 xOnlyKey, byte[] msg, Signature sig) {
        byte[] px = xOnlyKey.toArray();
        ECPoint p = Secp256k1.liftX(px);
        if (p == null) {
            return false;
        }
        return verify(p, true, px, msg, sig.toArray());
    }

    /**
     * BIP-340 "Verification". {@code point} is the affine key point; if its y is odd the x-only key
     * stands for its negation, which is folded into the scalar so that BouncyCastle's per-point
     * precomputation (cached on a {@link PublicKey}'s point) is reused.
     */
    private static boolean verify(ECPoint point, boolean evenY, byte[] px, byte[] msg, byte[] sig) {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        if (r.compareTo(Secp256k1.P) >= 0) {
            return false;
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        if (s.compareTo(Secp256k1.N) >= 0) {
            return false;
        }
        BigInteger e = challenge(sig, px, msg);
        // R = s·G − e·P, with P the even-y point: −e·P = (n − e)·P, or e·(−P) when point = −P.
        BigInteger ePart = evenY ? Secp256k1.N.subtract(e).mod(Secp256k1.N) : e;
        ECPoint rPoint = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, s, point, ePart).normalize();
        if (rPoint.isInfinity() || !Secp256k1.hasEvenY(rPoint)) {
            return false;
        }
        byte[] rx = new byte[32];
        rPoint.getAffineXCoord().encodeTo(rx, 0);
        return MessageDigest.isEqual(rx, Arrays.copyOfRange(sig, 0, 32));
    }

    /** e = int(hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)) mod n, R being sig[0, 32). */
    private static BigInteger challenge(byte[] sig, byte[] px, byte[] msg) {
        SHA256Digest d = TaggedHash.BIP340_CHALLENGE.start();
        d.update(sig, 0, 32);
        d.update(px, 0, 32);
        d.update(msg, 0, msg.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return new BigInteger(1, out).mod(Secp256k1.N);
    }
}
