package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.DecodeException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.raw.Nat;
import org.bouncycastle.math.raw.Nat256;

/** The secp256k1 group on BouncyCastle's custom curve implementation. */
public final class Secp256k1 {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    public static final ECCurve CURVE = PARAMS.getCurve();
    public static final ECPoint G = PARAMS.getG();
    public static final BigInteger N = PARAMS.getN();
    /** The field prime p. */
    public static final BigInteger P = CURVE.getField().getCharacteristic();
    private static final int[] N_WORDS = Nat256.fromBigInteger(N);
    /** Window width of {@link #multiply}: 64 windows of 4 bits, a 16-entry table. */
    private static final int WINDOW = 4;
    private static final int WINDOWS = 256 / WINDOW;
    private static final int TABLE = 1 << WINDOW;
    private static final FixedPointCombMultiplier BASE = new FixedPointCombMultiplier();

    private Secp256k1() {
    }

    /** Parses a 33-byte compressed point; anything else (or a point not on the curve) is refused. */
    public static ECPoint decodeCompressed(byte[] encoded) {
        if (encoded.length != 33 || (encoded[0] != 2 && encoded[0] != 3)) {
            throw new DecodeException("not a compressed secp256k1 point");
        }
        try {
            ECPoint p = CURVE.decodePoint(encoded);
            if (p.isInfinity() || !p.isValid()) {
                throw new DecodeException("point not on secp256k1");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new DecodeException("point not on secp256k1", e);
        }
    }

    public static byte[] encodeCompressed(ECPoint p) {
        return p.getEncoded(true);
    }

    /** k·G with BouncyCastle's fixed-point comb, whose table lookups do not depend on k. */
    public static ECPoint multiplyG(BigInteger k) {
        return BASE.multiply(G, k).normalize();
    }

    /**
     * k·P for a secret k, with a fixed sequence of point operations.
     *
     * <p>Method: BouncyCastle's {@code ECPoint.multiply} (GLV + wNAF) adds only at non-zero digits,
     * so its timing follows the scalar. Here k is first made odd without branching: k' = k if k is
     * odd, else n − k, and in that case the table is read mirrored, which uses −P instead of P
     * (k·P = (n − k)·(−P)). An odd k' < 2^256 is written with 64 signed digits D_j in
     * {±1, ±3, …, ±15}, none zero: with c = (k' − 1)/2 + 2^255, D_j = 2·C_j − 15 where C_j is the
     * j-th 4-bit window of c. So every window costs exactly four doublings and one addition of the
     * table entry C_j, which holds (2·C_j − 15)·P. Entries come from
     * {@link ECCurve#createCacheSafeLookupTable}, whose {@code lookup} reads every entry and keeps
     * one with masks, so the memory access pattern does not depend on the index either.
     *
     * <p>What is still variable-time: converting k from {@link BigInteger} (and reducing it mod n
     * when it is out of [0, n)); BouncyCastle's point formulas, which branch on the point at
     * infinity and on equal x coordinates (reached only when a partial sum equals ± a table entry,
     * which a random scalar hits with negligible probability) and whose modular reduction has a
     * rare data-dependent final subtraction; the final normalisation (a field inversion, constant
     * time in recent BouncyCastle). The JIT gives no guarantees either. Public scalars should use
     * {@link ECPoint#multiply} (as {@link PublicKey#multiply} does): it is about twice as fast.
     */
    public static ECPoint multiply(ECPoint p, BigInteger k) {
        if (k.signum() < 0 || k.compareTo(N) >= 0) {
            k = k.mod(N);
        }
        ECPoint base = CURVE.importPoint(p).normalize();
        if (k.signum() == 0 || base.isInfinity()) {
            return CURVE.getInfinity();
        }
        int[] c = Nat256.fromBigInteger(k);
        int[] negated = Nat256.create();
        Nat256.sub(N_WORDS, c, negated);
        int even = (c[0] & 1) ^ 1;
        Nat.cmov(8, even, negated, 0, c, 0);
        // c = (k' >> 1) | 2^255 = (k' - 1)/2 + 2^255 for the odd k'.
        Nat.shiftDownBit(8, c, 1);
        // Mirroring the index (C -> 15 - C = C ^ 15) negates the digit: the table for -P.
        int mirror = -even & (TABLE - 1);

        ECLookupTable table = oddMultiples(base);
        ECPoint q = table.lookup(window(c, WINDOWS - 1) ^ mirror);
        for (int j = WINDOWS - 2; j >= 0; j--) {
            q = q.timesPow2(WINDOW).add(table.lookup(window(c, j) ^ mirror));
        }
        Arrays.fill(c, 0);
        Arrays.fill(negated, 0);
        return q.normalize();
    }

    private static int window(int[] c, int j) {
        return (c[j >>> 3] >>> ((j & 7) << 2)) & (TABLE - 1);
    }

    /** entry i = (2i − 15)·P for i in [0, 16): −15P, −13P, …, −P, P, 3P, …, 15P, all affine. */
    private static ECLookupTable oddMultiples(ECPoint p) {
        ECPoint[] t = new ECPoint[TABLE];
        int half = TABLE / 2;
        ECPoint twice = p.twice();
        t[half] = p;
        for (int i = half + 1; i < TABLE; i++) {
            t[i] = t[i - 1].add(twice);
        }
        CURVE.normalizeAll(t, half, half, null);
        for (int i = 0; i < half; i++) {
            t[half - 1 - i] = t[half + i].negate();
        }
        return CURVE.createCacheSafeLookupTable(t, 0, TABLE);
    }

    /** Whether an affine (normalised) point has an even y coordinate. */
    public static boolean hasEvenY(ECPoint normalized) {
        return !normalized.getAffineYCoord().testBitZero();
    }

    /**
     * BIP-340 lift_x: the point with x coordinate {@code x32} (32 big-endian bytes) and an even y,
     * or null when x ≥ p or x is not on the curve.
     */
    public static ECPoint liftX(byte[] x32) {
        if (x32.length != 32) {
            return null;
        }
        BigInteger x = new BigInteger(1, x32);
        if (x.compareTo(P) >= 0) {
            return null;
        }
        ECFieldElement fx = CURVE.fromBigInteger(x);
        ECFieldElement y = fx.square().multiply(fx).add(CURVE.getB()).sqrt();
        if (y == null) {
            return null;
        }
        if (y.testBitZero()) {
            y = y.negate();
        }
        return CURVE.createPoint(x, y.toBigInteger());
    }

    /** A 32-byte big-endian scalar in [1, n-1], else a {@link DecodeException}. */
    public static BigInteger scalar(byte[] b32) {
        if (b32.length != 32) {
            throw new DecodeException("scalar must be 32 bytes");
        }
        BigInteger k = new BigInteger(1, b32);
        if (k.signum() == 0 || k.compareTo(N) >= 0) {
            throw new DecodeException("scalar out of range");
        }
        return k;
    }

    public static byte[] toBytes32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        if (raw.length > 32) {
            System.arraycopy(raw, raw.length - 32, out, 0, 32);
        } else {
            System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        }
        return out;
    }
}
