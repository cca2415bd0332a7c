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
import org.bouncycastle.math.ec.endo.GLVEndomorphism;
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
    private static final GLVEndomorphism ENDO = (GLVEndomorphism) CURVE.getEndomorphism();
    /** The cube root of unity mod n matching BouncyCastle's point map (checked in {@link #lambda()}). */
    private static final BigInteger LAMBDA = lambda();
    /** Window width of {@link #multiply}: 33 windows of 4 bits per half scalar, 16-entry tables. */
    private static final int WINDOW = 4;
    private static final int SPLIT_BITS = 132;
    private static final int WINDOWS = SPLIT_BITS / WINDOW;
    private static final int TABLE = 1 << WINDOW;
    private static final BigInteger SPLIT_BIAS = BigInteger.ONE.shiftLeft(129);
    private static final BigInteger HALF = BigInteger.TWO.modInverse(N);
    /**
     * t = k/2 + OFFSET splits into t₁ + t₂·λ, and cᵢ = tᵢ + 2^129 must satisfy
     * c₁ + c₂·λ ≡ (k + o·(1 + λ))/2 with o = 2^132 − 1; so OFFSET = (o/2 − 2^129)·(1 + λ) mod n.
     */
    private static final BigInteger OFFSET = BigInteger.ONE.shiftLeft(SPLIT_BITS).subtract(BigInteger.ONE)
            .multiply(HALF).subtract(SPLIT_BIAS).multiply(BigInteger.ONE.add(LAMBDA)).mod(N);
    private static final int[] N_WORDS = Nat256.fromBigInteger(N);
    /** 2^256 − n (129 bits) as five little-endian words: 2^256 ≡ this (mod n). */
    private static final int[] N_COMPLEMENT = Arrays.copyOf(
            Nat256.fromBigInteger(BigInteger.ONE.shiftLeft(256).subtract(N)), 5);
    private static final long M32 = 0xffffffffL;
    /** Windows of {@link #multiplyG}: 64 of 4 bits over the whole scalar. */
    private static final int G_WINDOWS = 64;

    private Secp256k1() {
    }

    /** λ with λ·P = (β·x, y) for BouncyCastle's β: one of the two non-trivial cube roots of 1 mod n. */
    private static BigInteger lambda() {
        BigInteger root = new BigInteger("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72", 16);
        ECPoint mapped = ENDO.getPointMap().map(G).normalize();
        for (BigInteger candidate : new BigInteger[] {root, root.multiply(root).mod(N)}) {
            if (G.multiply(candidate).normalize().equals(mapped)) {
                return candidate;
            }
        }
        throw new IllegalStateException("BouncyCastle's secp256k1 endomorphism is not the expected one");
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

    /**
     * k·G for a secret k: 64 additions of precomputed multiples of G, no doublings.
     *
     * <p>k is made odd without branching (k' = k if k is odd, else n − k, and then every table is
     * read mirrored, which negates each digit: k·G = −((n − k)·G)). The odd k' is written with 64
     * signed digits D_j = 2·C_j − 15 in {±1, ±3, …, ±15}, C_j being the j-th 4-bit window of
     * c = (k' − 1)/2 + 2^255 (the recoding of {@link #multiply}), and k'·G = Σ_j D_j·16^j·G: one
     * addition of an entry of table j per window. Table j holds (2i − 15)·16^j·G for i in [0, 16),
     * affine, read with {@link ECCurve#createCacheSafeLookupTable} (every entry read, one kept with
     * masks). The tables are 64 KB, built once. The caveats of {@link #multiply} apply (BigInteger
     * conversion, the formulas' rare special cases, the final normalisation). About a third faster
     * than BouncyCastle's fixed-point comb, whose lookups read 64 entries per step.
     */
    public static ECPoint multiplyG(BigInteger k) {
        if (k.signum() < 0 || k.compareTo(N) >= 0) {
            k = k.mod(N);
        }
        if (k.signum() == 0) {
            return CURVE.getInfinity();
        }
        int[] c = Nat256.fromBigInteger(k);
        int[] negated = Nat256.create();
        Nat256.sub(N_WORDS, c, negated);
        int even = (c[0] & 1) ^ 1;
        Nat.cmov(8, even, negated, 0, c, 0);
        // c = (k' >> 1) | 2^255 = (k' - 1)/2 + 2^255 for the odd k'.
        Nat.shiftDownBit(8, c, 1);
        int mirror = -even & (TABLE - 1);
        ECLookupTable[] tables = GTables.TABLES;
        ECPoint q = tables[G_WINDOWS - 1].lookup(window(c, G_WINDOWS - 1) ^ mirror);
        for (int j = G_WINDOWS - 2; j >= 0; j--) {
            q = q.add(tables[j].lookup(window(c, j) ^ mirror));
        }
        Arrays.fill(c, 0);
        Arrays.fill(negated, 0);
        return q.normalize();
    }

    /** The 64 tables of {@link #multiplyG}, built on first use. */
    private static final class GTables {
        static final ECLookupTable[] TABLES = build();

        private static ECLookupTable[] build() {
            ECLookupTable[] out = new ECLookupTable[G_WINDOWS];
            ECPoint base = G;
            for (int j = 0; j < G_WINDOWS; j++) {
                out[j] = CURVE.createCacheSafeLookupTable(oddMultiples(base), 0, TABLE);
                base = base.timesPow2(WINDOW).normalize();
            }
            return out;
        }
    }

    /**
     * k·P for a secret k, with a fixed sequence of point operations.
     *
     * <p>Method: BouncyCastle's {@code ECPoint.multiply} (GLV + wNAF) adds only at non-zero digits,
     * so its timing follows the scalar. Here every window costs the same work. The scalar is split
     * with the secp256k1 endomorphism λ (λ·(x, y) = (β·x, y)) so that two half-length scalars share
     * one run of doublings, and each half is written with signed odd digits, none zero:
     *
     * <ul>
     *   <li>Any L-bit c gives the odd number 2c − (2^L − 1) = Σ_j (2·C_j − 15)·16^j, C_j being the
     *       j-th 4-bit window of c, so the digit 2·C_j − 15 is one of ±1, ±3, …, ±15.
     *   <li>We want k·P = (2c₁ − o)·P + (2c₂ − o)·λP with o = 2^L − 1, that is
     *       c₁ + c₂·λ ≡ (k + o·(1 + λ))/2 (mod n). BouncyCastle's GLV split of
     *       t = k/2 + {@code OFFSET} (mod n) gives t₁ + t₂·λ ≡ t with |tᵢ| &lt; 2^129, and
     *       cᵢ = tᵢ + 2^129 lies in [0, 2^L) for L = 132; {@code OFFSET} is the constant that
     *       makes the two equations agree.
     *   <li>So each of the 33 windows costs four doublings and two additions of table entries
     *       read with {@link ECCurve#createCacheSafeLookupTable}, whose {@code lookup} reads every
     *       entry and keeps one with masks: the access pattern does not depend on the index.
     * </ul>
     *
     * <p>What is still variable-time: converting k from {@link BigInteger} and the GLV split
     * (BigInteger arithmetic; its timing follows the magnitude of intermediate values, not the
     * bits fed to the point operations); BouncyCastle's point formulas, which branch on the point
     * at infinity and on equal x coordinates (reached only when a partial sum equals ± a table
     * entry, which a random scalar hits with negligible probability) and whose modular reduction
     * has a rare data-dependent final subtraction; the final normalisation. The JIT gives no
     * guarantees either. Public scalars should use {@link ECPoint#multiply} (as
     * {@link PublicKey#multiply} does): it is faster still.
     */
    public static ECPoint multiply(ECPoint p, BigInteger k) {
        if (k.signum() < 0 || k.compareTo(N) >= 0) {
            k = k.mod(N);
        }
        ECPoint base = CURVE.importPoint(p).normalize();
        if (k.signum() == 0 || base.isInfinity()) {
            return CURVE.getInfinity();
        }
        BigInteger t = k.multiply(HALF).add(OFFSET).mod(N);
        BigInteger[] split = ENDO.decomposeScalar(t);
        int[] c1 = recode(split[0]);
        int[] c2 = recode(split[1]);

        ECPoint[] entries = oddMultiples(base);
        ECLookupTable table = CURVE.createCacheSafeLookupTable(entries, 0, TABLE);
        for (int i = 0; i < TABLE; i++) {
            entries[i] = ENDO.getPointMap().map(entries[i]);
        }
        ECLookupTable lambdaTable = CURVE.createCacheSafeLookupTable(entries, 0, TABLE);

        ECPoint q = table.lookup(window(c1, WINDOWS - 1)).add(lambdaTable.lookup(window(c2, WINDOWS - 1)));
        for (int j = WINDOWS - 2; j >= 0; j--) {
            q = q.timesPow2(WINDOW).add(table.lookup(window(c1, j))).add(lambdaTable.lookup(window(c2, j)));
        }
        Arrays.fill(c1, 0);
        Arrays.fill(c2, 0);
        return q.normalize();
    }

    /** c = t + 2^129 as five little-endian words; |t| &lt; 2^129 holds for every GLV split of a scalar mod n. */
    private static int[] recode(BigInteger half) {
        BigInteger c = half.add(SPLIT_BIAS);
        if (c.signum() < 0 || c.bitLength() > SPLIT_BITS) {
            throw new IllegalStateException("GLV split out of its bound");
        }
        int[] words = new int[(SPLIT_BITS + 31) / 32];
        for (int i = 0; i < words.length; i++) {
            words[i] = c.shiftRight(32 * i).intValue();
        }
        return words;
    }

    private static int window(int[] c, int j) {
        return (c[j >>> 3] >>> ((j & 7) << 2)) & (TABLE - 1);
    }

    /** entry i = (2i − 15)·P for i in [0, 16): −15P, −13P, …, −P, P, 3P, …, 15P, all affine. */
    private static ECPoint[] oddMultiples(ECPoint p) {
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
        return t;
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

    /**
     * Whether {@code b32} is 32 big-endian bytes in [1, n − 1], decided without branching on its
     * value (a subtraction's borrow and an OR of all words).
     */
    public static boolean isValidScalar(byte[] b32) {
        if (b32 == null || b32.length != 32) {
            return false;
        }
        int[] w = words(b32);
        long borrow = 0;
        int any = 0;
        for (int i = 0; i < 8; i++) {
            borrow = (borrow + (w[i] & M32) - (N_WORDS[i] & M32)) >> 32;
            any |= w[i];
        }
        Arrays.fill(w, 0);
        // borrow is -1 exactly when b < n.
        return ((int) borrow & (any | -any) >>> 31) != 0;
    }

    /**
     * a·b mod n for two 32-byte scalars, in a fixed sequence of word operations whatever their
     * values (no {@link BigInteger}): a 512-bit product, then four folds of its high half with
     * 2^256 ≡ 2^256 − n (mod n), a 129-bit constant, and one masked subtraction of n.
     */
    public static byte[] multiplyModN(byte[] a, byte[] b) {
        int[] x = words(a);
        int[] y = words(b);
        int[] zz = mulAdd(x, 0, 8, y, new int[0], 17);
        // zz < 2^512 → r1 < 2^256 + 2^385 → r2 < 2^259 → r3 < 2^256 + 2^132 → r4 < 2^256.
        int[] r1 = mulAdd(zz, 8, 8, N_COMPLEMENT, Arrays.copyOf(zz, 8), 14);
        int[] r2 = mulAdd(r1, 8, 6, N_COMPLEMENT, Arrays.copyOf(r1, 8), 12);
        int[] r3 = mulAdd(r2, 8, 4, N_COMPLEMENT, Arrays.copyOf(r2, 8), 10);
        int[] r4 = mulAdd(r3, 8, 2, N_COMPLEMENT, Arrays.copyOf(r3, 8), 8);
        // r4 < 2^256 < 2n: subtract n once, keep the difference unless it borrowed.
        int[] d = new int[8];
        long borrow = 0;
        for (int i = 0; i < 8; i++) {
            borrow += (r4[i] & M32) - (N_WORDS[i] & M32);
            d[i] = (int) borrow;
            borrow >>= 32;
        }
        int keep = (int) borrow;
        byte[] out = new byte[32];
        for (int i = 0; i < 8; i++) {
            int v = (r4[i] & keep) | (d[i] & ~keep);
            int at = 28 - 4 * i;
            out[at] = (byte) (v >>> 24);
            out[at + 1] = (byte) (v >>> 16);
            out[at + 2] = (byte) (v >>> 8);
            out[at + 3] = (byte) v;
        }
        for (int[] t : new int[][] {x, y, zz, r1, r2, r3, r4, d}) {
            Arrays.fill(t, 0);
        }
        return out;
    }

    /**
     * z = a[aOff, aOff + aLen)·b + c as {@code zLen} little-endian words, every carry carried
     * through all of z: the same operations whatever the values. z must be long enough.
     */
    private static int[] mulAdd(int[] a, int aOff, int aLen, int[] b, int[] c, int zLen) {
        int[] z = Arrays.copyOf(c, zLen);
        for (int i = 0; i < aLen; i++) {
            long ai = a[aOff + i] & M32;
            long carry = 0;
            for (int j = 0; j < b.length; j++) {
                // ≤ (2^32 − 1)^2 + 2 (2^32 − 1) = 2^64 − 1: no overflow of the unsigned 64 bits.
                carry += ai * (b[j] & M32) + (z[i + j] & M32);
                z[i + j] = (int) carry;
                carry >>>= 32;
            }
            for (int k = i + b.length; k < zLen; k++) {
                carry += z[k] & M32;
                z[k] = (int) carry;
                carry >>>= 32;
            }
        }
        return z;
    }

    /** Little-endian 32-bit words of 32 big-endian bytes. */
    private static int[] words(byte[] b32) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            int at = 28 - 4 * i;
            w[i] = (b32[at] & 0xff) << 24 | (b32[at + 1] & 0xff) << 16 | (b32[at + 2] & 0xff) << 8 | (b32[at + 3] & 0xff);
        }
        return w;
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
