package dev.boltflow.core.crypto;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The pure-Java {@link Secp256k1Provider} on BouncyCastle's custom secp256k1 field arithmetic: the
 * fallback where libsecp256k1 does not load, and the reference the native provider is tested
 * against. Fixed-base tables for secret·G ({@link Secp256k1#multiplyG}), the GLV ladder of
 * {@link Secp256k1#multiply} for ECDH (both a fixed sequence of point operations with cache-safe
 * lookups), word-by-word scalar products ({@link Secp256k1#multiplyModN}), BouncyCastle's GLV + wNAF
 * for public tweaks and verification. Handles are normalised {@link ECPoint}s.
 *
 * <p>BIP-340 signing follows "Default Signing" exactly, including the auxiliary randomness and the
 * final self-verification it recommends against fault attacks. Its scalar arithmetic (negation,
 * k + e·d mod n) uses {@link BigInteger}, which is not constant-time; BouncyCastle's own signers do
 * the same.
 */
public final class BouncyCastleSecp256k1 implements Secp256k1Provider {
    public static final BouncyCastleSecp256k1 INSTANCE = new BouncyCastleSecp256k1();
    private static final BigInteger HALF_N = Secp256k1.N.shiftRight(1);

    private BouncyCastleSecp256k1() {
    }

    @Override
    public String name() {
        return "bouncycastle";
    }

    @Override
    public String description() {
        return "bouncycastle (pure Java on BouncyCastle's secp256k1 field arithmetic)";
    }

    @Override
    public Object parse(byte[] compressed) {
        return Secp256k1.decodeCompressed(compressed);
    }

    @Override
    public byte[] serialize(Object point) {
        return Secp256k1.encodeCompressed(point(point));
    }

    @Override
    public Object publicKey(byte[] secret) {
        return Secp256k1.multiplyG(scalar(secret, "secret"));
    }

    @Override
    public byte[] ecdh(byte[] secret, Object point) {
        ECPoint p = point(point);
        return Hashes.sha256(Secp256k1.encodeCompressed(Secp256k1.multiply(p, scalar(secret, "secret"))));
    }

    @Override
    public Object tweak(Object point, byte[] tweak) {
        ECPoint p = point(point);
        return nonInfinite(p.multiply(scalar(tweak, "tweak")).normalize());
    }

    @Override
    public Object add(Object a, Object b) {
        return nonInfinite(point(a).add(point(b)).normalize());
    }

    @Override
    public byte[] multiplySecret(byte[] secret, byte[] tweak) {
        requireScalar(secret, "secret");
        requireScalar(tweak, "tweak");
        return Secp256k1.multiplyModN(secret, tweak);
    }

    // BIP-340, "Default Signing".
    @Override
    public byte[] signSchnorr(byte[] secret, Object publicKey, byte[] msg, byte[] aux) {
        requireScalar(secret, "secret");
        requireAux(aux);
        ECPoint pub = point(publicKey);
        boolean evenY = Secp256k1.hasEvenY(pub);
        byte[] px = new byte[32];
        pub.getAffineXCoord().encodeTo(px, 0);
        BigInteger d0 = new BigInteger(1, secret);
        // d = d' if has_even_y(P) else n - d' (P is public, so branching on its parity leaks nothing).
        BigInteger d = evenY ? d0 : Secp256k1.N.subtract(d0);
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
        System.arraycopy(Secp256k1.toBytes32(s), 0, sig, 32, 32);
        return selfVerified(sig, verify(pub, evenY, px, msg, sig));
    }

    /**
     * BIP-340 "Default Signing": "the signature is verified before it is returned", so that a
     * fault during signing cannot leak the key: {@code sig} if it verified, else an error.
     */
    static byte[] selfVerified(byte[] sig, boolean verified) {
        if (!verified) {
            throw new IllegalStateException("BIP-340 signature failed its own verification");
        }
        return sig;
    }

    @Override
    public boolean verifySchnorr(byte[] xOnly, Object point, byte[] msg, byte[] sig) {
        if (xOnly.length != 32 || sig.length != 64) {
            return false;
        }
        if (point != null) {
            ECPoint p = point(point);
            return verify(p, Secp256k1.hasEvenY(p), xOnly, msg, sig);
        }
        ECPoint lifted = Secp256k1.liftX(xOnly);
        return lifted != null && verify(lifted, true, xOnly, msg, sig);
    }

    /**
     * ECDSA with RFC 6979 nonces (HMAC-SHA256 over the secret and the hash reduced mod n, as
     * libsecp256k1's default nonce function), R = k·G by the constant-time {@link Secp256k1#multiplyG},
     * s normalised low. The scalar arithmetic uses {@link BigInteger} (not constant-time), as in
     * {@link #signSchnorr}.
     */
    @Override
    public byte[] signEcdsa(byte[] secret, byte[] hash32) {
        if (hash32.length != 32) {
            throw new IllegalArgumentException("ECDSA signs a 32-byte hash");
        }
        BigInteger d = new BigInteger(1, secret);
        BigInteger e = new BigInteger(1, hash32).mod(Secp256k1.N);
        HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
        nonces.init(Secp256k1.N, d, hash32);
        while (true) {
            BigInteger k = nonces.nextK();
            ECPoint r = Secp256k1.multiplyG(k);
            BigInteger rx = r.getAffineXCoord().toBigInteger().mod(Secp256k1.N);
            if (rx.signum() == 0) {
                continue;
            }
            BigInteger s = k.modInverse(Secp256k1.N).multiply(e.add(rx.multiply(d))).mod(Secp256k1.N);
            if (s.signum() == 0) {
                continue;
            }
            if (s.compareTo(HALF_N) > 0) {
                s = Secp256k1.N.subtract(s); // low s, as libsecp256k1 writes them
            }
            byte[] sig = new byte[64];
            System.arraycopy(Secp256k1.toBytes32(rx), 0, sig, 0, 32);
            System.arraycopy(Secp256k1.toBytes32(s), 0, sig, 32, 32);
            return sig;
        }
    }

    /**
     * ECDSA verification: R = (e/s)·G + (r/s)·P with BouncyCastle's GLV Strauss–Shamir (the
     * precomputation for G is cached), then x(R) ≡ r (mod n) checked in Jacobian coordinates, with no
     * field inversion: X = c·Z² for c = r or r + n (when below p).
     */
    @Override
    public boolean verifyEcdsa(Object publicKey, byte[] hash32, byte[] sig) {
        if (hash32.length != 32 || sig.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(Secp256k1.N) >= 0 || s.compareTo(Secp256k1.N) >= 0) {
            return false;
        }
        BigInteger e = new BigInteger(1, hash32).mod(Secp256k1.N);
        BigInteger w = s.modInverse(Secp256k1.N);
        BigInteger u1 = e.multiply(w).mod(Secp256k1.N);
        BigInteger u2 = r.multiply(w).mod(Secp256k1.N);
        // BouncyCastle caches its precomputation on the point it multiplies: a copy keeps a long-lived
        // key's handle (a node id in the channel graph) from growing by kilobytes.
        ECPoint p = point(publicKey);
        ECPoint fresh = Secp256k1.CURVE.createPoint(p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger());
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, u1, fresh, u2);
        if (q.isInfinity()) {
            return false;
        }
        ECFieldElement x = q.getRawXCoord();
        ECFieldElement z = q.getZCoord(0);
        ECFieldElement z2 = z.square();
        for (BigInteger c = r; c.compareTo(Secp256k1.P) < 0; c = c.add(Secp256k1.N)) {
            if (Secp256k1.CURVE.fromBigInteger(c).multiply(z2).equals(x)) {
                return true;
            }
        }
        return false;
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
        MessageDigest d = TaggedHash.BIP340_CHALLENGE.start();
        d.update(sig, 0, 32);
        d.update(px, 0, 32);
        d.update(msg, 0, msg.length);
        return new BigInteger(1, d.digest()).mod(Secp256k1.N);
    }

    /** The secret or tweak as a {@link BigInteger}, after {@link #requireScalar}. */
    private static BigInteger scalar(byte[] b32, String what) {
        requireScalar(b32, what);
        return new BigInteger(1, b32);
    }

    /** The provider contract's refusal: 32 bytes in [1, n − 1], else {@link IllegalArgumentException}. */
    static void requireScalar(byte[] b32, String what) {
        if (!Secp256k1.isValidScalar(b32)) {
            throw new IllegalArgumentException(what + " must be 32 bytes in [1, n - 1]");
        }
    }

    static void requireAux(byte[] aux) {
        if (aux == null || aux.length != 32) {
            throw new IllegalArgumentException("BIP-340 auxiliary randomness must be 32 bytes");
        }
    }

    private static ECPoint point(Object handle) {
        if (!(handle instanceof ECPoint)) {
            throw new IllegalArgumentException("not a BouncyCastle point handle");
        }
        return (ECPoint) handle;
    }

    private static ECPoint nonInfinite(ECPoint p) {
        if (p.isInfinity()) {
            throw new IllegalArgumentException("the result is the point at infinity");
        }
        return p;
    }
}
