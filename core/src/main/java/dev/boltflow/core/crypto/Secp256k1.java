package dev.boltflow.core.crypto;

import dev.boltflow.core.bytes.DecodeException;
import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** The secp256k1 group on BouncyCastle's custom curve implementation. */
public final class Secp256k1 {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    public static final ECCurve CURVE = PARAMS.getCurve();
    public static final ECPoint G = PARAMS.getG();
    public static final BigInteger N = PARAMS.getN();
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

    /** k·P for a secret k. */
    public static ECPoint multiply(ECPoint p, BigInteger k) {
        return p.multiply(k).normalize();
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
