package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** The constant-time {@link Secp256k1#multiply} and {@link Secp256k1#multiplyG} against BouncyCastle's plain multiplication. */
class Secp256k1MultiplyTest {
    private static final BigInteger N = Secp256k1.N;

    /** Scalars at the edges of the recoding: tiny, near n, near powers of two and of 16. */
    static List<BigInteger> edgeScalars() {
        List<BigInteger> out = new ArrayList<>();
        for (int i = 1; i <= 33; i++) {
            out.add(BigInteger.valueOf(i));
            out.add(N.subtract(BigInteger.valueOf(i)));
        }
        for (int e = 1; e < 256; e++) {
            BigInteger p = BigInteger.ONE.shiftLeft(e);
            for (BigInteger k : List.of(p.subtract(BigInteger.ONE), p, p.add(BigInteger.ONE))) {
                if (k.signum() > 0 && k.compareTo(N) < 0) {
                    out.add(k);
                }
            }
        }
        out.add(N.shiftRight(1));
        out.add(N.shiftRight(1).add(BigInteger.ONE));
        // Around the endomorphism's λ and λ², where the GLV split has one half zero or tiny.
        BigInteger lambda = new BigInteger("5363ad4cc05c30e0a5261c028812645a122e22ea20816678df02967c1b23bd72", 16);
        for (BigInteger l : List.of(lambda, lambda.multiply(lambda).mod(N))) {
            for (int d = -2; d <= 2; d++) {
                out.add(l.add(BigInteger.valueOf(d)));
                out.add(N.subtract(l).add(BigInteger.valueOf(d)));
            }
            out.add(l.shiftRight(128));
            out.add(l.shiftLeft(1).mod(N));
        }
        return out;
    }

    @Provide
    Arbitrary<BigInteger> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE)),
                Arbitraries.of(edgeScalars()));
    }

    @Provide
    Arbitrary<ECPoint> points() {
        return scalars().map(Secp256k1::multiplyG);
    }

    @Property(tries = 300)
    void matches_plain_multiply(@ForAll("points") ECPoint p, @ForAll("scalars") BigInteger k) {
        assertEquals(p.multiply(k).normalize(), Secp256k1.multiply(p, k));
    }

    @Test
    void every_edge_scalar_matches_plain_multiply_on_g_and_another_point() {
        ECPoint other = Secp256k1.multiplyG(BigInteger.valueOf(0x5eed));
        for (BigInteger k : edgeScalars()) {
            assertEquals(Secp256k1.G.multiply(k).normalize(), Secp256k1.multiply(Secp256k1.G, k), k.toString(16));
            assertEquals(other.multiply(k).normalize(), Secp256k1.multiply(other, k), k.toString(16));
        }
    }

    @Property(tries = 300)
    void fixed_base_matches_plain_multiply(@ForAll("scalars") BigInteger k) {
        assertEquals(Secp256k1.G.multiply(k).normalize(), Secp256k1.multiplyG(k));
    }

    @Test
    void every_edge_scalar_matches_plain_multiply_on_the_fixed_base() {
        for (BigInteger k : edgeScalars()) {
            assertEquals(Secp256k1.G.multiply(k).normalize(), Secp256k1.multiplyG(k), k.toString(16));
        }
        assertTrue(Secp256k1.multiplyG(BigInteger.ZERO).isInfinity());
        assertTrue(Secp256k1.multiplyG(N).isInfinity());
        assertEquals(Secp256k1.multiplyG(BigInteger.TEN), Secp256k1.multiplyG(N.add(BigInteger.TEN)));
        // Any integer is taken mod n: negative ones, and ones wider than 256 bits.
        assertEquals(Secp256k1.multiplyG(N.subtract(BigInteger.TEN)), Secp256k1.multiplyG(BigInteger.TEN.negate()));
        BigInteger wide = BigInteger.ONE.shiftLeft(300).add(BigInteger.TEN);
        assertEquals(Secp256k1.multiplyG(wide.mod(N)), Secp256k1.multiplyG(wide));
    }

    @Test
    void multiples_of_n_give_infinity_and_larger_scalars_are_reduced() {
        assertTrue(Secp256k1.multiply(Secp256k1.G, BigInteger.ZERO).isInfinity());
        assertTrue(Secp256k1.multiply(Secp256k1.G, N).isInfinity());
        BigInteger k = BigInteger.valueOf(12345);
        assertEquals(Secp256k1.multiplyG(k), Secp256k1.multiply(Secp256k1.G, k.add(N)));
        assertEquals(Secp256k1.multiplyG(N.subtract(k)), Secp256k1.multiply(Secp256k1.G, k.negate()));
    }

    @Property(tries = 30)
    void ecdh_is_symmetric(@ForAll("scalars") BigInteger a, @ForAll("scalars") BigInteger b) {
        PrivateKey ka = PrivateKey.fromBytes(Secp256k1.toBytes32(a));
        PrivateKey kb = PrivateKey.fromBytes(Secp256k1.toBytes32(b));
        assertEquals(ka.ecdh(kb.publicKey()), kb.ecdh(ka.publicKey()));
    }
}
