package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.testing.Secp256k1TestProviders;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * libsecp256k1 and BouncyCastle, given the same random and edge inputs, return the same bytes, or
 * refuse with the same exception type (a bad point: {@link DecodeException}; a zero, out-of-range
 * or wrong-length scalar, a sum at infinity: {@link IllegalArgumentException}); verification gives
 * the same answer and never throws; no provider changes an array it was given.
 */
class Secp256k1ProvidersAgreeTest {
    private static final Secp256k1Provider BC = BouncyCastleSecp256k1.INSTANCE;
    private static final Secp256k1Provider NATIVE = Secp256k1TestProviders.nativeProvider();
    private static final BigInteger N = Secp256k1.N;

    /** What one call gave: its bytes (hex) or the type of its refusal. */
    private static String outcome(Secp256k1Provider p, Function<Secp256k1Provider, Object> call, byte[]... inputs) {
        byte[][] before = new byte[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            before[i] = inputs[i].clone();
        }
        String out;
        try {
            Object r = call.apply(p);
            out = r instanceof byte[] b ? Bytes.wrap(b).toHex() : String.valueOf(r);
        } catch (DecodeException e) {
            out = "refused: DecodeException";
        } catch (IllegalArgumentException e) {
            out = "refused: IllegalArgumentException";
        }
        for (int i = 0; i < inputs.length; i++) {
            assertArrayEquals(before[i], inputs[i], p.name() + " changed input " + i);
        }
        return out;
    }

    /** Both providers' outcome, required equal; returns it. */
    private static String agree(Function<Secp256k1Provider, Object> call, byte[]... inputs) {
        String bc = outcome(BC, call, inputs);
        String nat = outcome(NATIVE, call, inputs);
        assertEquals(bc, nat, "bouncycastle and native disagree");
        return bc;
    }

    private static byte[] b32(BigInteger v) {
        return Secp256k1.toBytes32(v);
    }

    /** Mostly random 32-byte scalars, with the edges: 0, 1, n − 1, n, n + 1, 2^256 − 1, and wrong lengths. */
    @Provide
    Arbitrary<byte[]> scalars() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<byte[]> edges = Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE),
                N, N.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(255), N.shiftRight(1)).map(Secp256k1ProvidersAgreeTest::b32);
        Arbitrary<byte[]> wrongLength = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40)
                .filter(b -> b.length != 32);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, random), net.jqwik.api.Tuple.of(3, edges), net.jqwik.api.Tuple.of(1, wrongLength));
    }

    /** Valid scalars: the operands that must give bytes. */
    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).filter(Secp256k1::isValidScalar);
    }

    /**
     * 33-byte candidates: valid points of either parity, random x with a 02/03 prefix (about half
     * are not on the curve), x ≥ p, and other prefixes or lengths.
     */
    @Provide
    Arbitrary<byte[]> encodings() {
        Arbitrary<byte[]> valid = secrets().map(s -> BC.serialize(BC.publicKey(s)));
        Arbitrary<byte[]> randomX = Combinators.combine(Arbitraries.of((byte) 2, (byte) 3),
                Arbitraries.bytes().array(byte[].class).ofSize(32)).as(Secp256k1ProvidersAgreeTest::prefixed);
        Arbitrary<byte[]> bigX = Combinators.combine(Arbitraries.of((byte) 2, (byte) 3),
                Arbitraries.bigIntegers().between(Secp256k1.P, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)))
                .as((prefix, x) -> prefixed(prefix, b32(x)));
        Arbitrary<byte[]> otherPrefix = Combinators.combine(Arbitraries.of((byte) 0, (byte) 1, (byte) 4, (byte) 6, (byte) 7),
                valid).as((prefix, v) -> prefixed(prefix, Arrays.copyOfRange(v, 1, 33)));
        Arbitrary<byte[]> otherLength = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(66)
                .filter(b -> b.length != 33);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, valid), net.jqwik.api.Tuple.of(4, randomX),
                net.jqwik.api.Tuple.of(1, bigX), net.jqwik.api.Tuple.of(1, otherPrefix), net.jqwik.api.Tuple.of(1, otherLength));
    }

    private static byte[] prefixed(byte prefix, byte[] x) {
        byte[] out = new byte[33];
        out[0] = prefix;
        System.arraycopy(x, 0, out, 1, 32);
        return out;
    }

    @Property(tries = 400)
    void parse_acceptsAndRefusesTheSameEncodings(@ForAll("encodings") byte[] encoded) {
        String r = agree(p -> p.serialize(p.parse(encoded)), encoded);
        if (!r.startsWith("refused")) {
            assertEquals(Bytes.wrap(encoded).toHex(), r, "a parsed point serialises to its encoding");
        }
    }

    @Property(tries = 300)
    void publicKey_sameBytesOrSameRefusal(@ForAll("scalars") byte[] secret) {
        String r = agree(p -> p.serialize(p.publicKey(secret)), secret);
        assertEquals(Secp256k1.isValidScalar(secret), !r.startsWith("refused"));
    }

    @Property(tries = 300)
    void ecdh_sameBytesOrSameRefusal(@ForAll("scalars") byte[] secret, @ForAll("secrets") byte[] other) {
        byte[] point = BC.serialize(BC.publicKey(other));
        String r = agree(p -> p.ecdh(secret, p.parse(point)), secret, point);
        if (Secp256k1.isValidScalar(secret)) {
            // Both sides of the exchange, and the hash BOLT 4/8 define.
            byte[] shared = Secp256k1.encodeCompressed(Secp256k1.G.multiply(new BigInteger(1, secret))
                    .multiply(new BigInteger(1, other)).normalize());
            assertEquals(Hashes.sha256Of(shared).toHex(), r);
            assertEquals(r, agree(p -> p.ecdh(other, p.publicKey(secret)), other, secret));
        } else {
            assertTrue(r.startsWith("refused: IllegalArgument"), r);
        }
    }

    @Property(tries = 300)
    void tweak_sameBytesOrSameRefusal(@ForAll("secrets") byte[] base, @ForAll("scalars") byte[] tweak) {
        byte[] point = BC.serialize(BC.publicKey(base));
        String r = agree(p -> p.serialize(p.tweak(p.parse(point), tweak)), point, tweak);
        assertEquals(Secp256k1.isValidScalar(tweak), !r.startsWith("refused"), r);
    }

    @Property(tries = 300)
    void multiplySecret_isTheProductModN_orTheSameRefusal(@ForAll("scalars") byte[] a, @ForAll("scalars") byte[] b) {
        String r = agree(p -> p.multiplySecret(a, b), a, b);
        if (Secp256k1.isValidScalar(a) && Secp256k1.isValidScalar(b)) {
            BigInteger expected = new BigInteger(1, a).multiply(new BigInteger(1, b)).mod(N);
            assertEquals(Bytes.wrap(b32(expected)).toHex(), r);
        } else {
            assertEquals("refused: IllegalArgumentException", r);
        }
    }

    @Property(tries = 200)
    void add_sameBytes_andTheSameRefusalAtInfinity(@ForAll("secrets") byte[] a, @ForAll("secrets") byte[] b,
            @ForAll boolean negated) {
        byte[] pa = BC.serialize(BC.publicKey(a));
        byte[] pb = negated ? pa.clone() : BC.serialize(BC.publicKey(b));
        if (negated) {
            pb[0] ^= 1; // the same x, the other y: −P
        }
        String r = agree(p -> p.serialize(p.add(p.parse(pa), p.parse(pb))), pa, pb);
        assertEquals(negated, r.startsWith("refused"), r);
    }

    @Property(tries = 200)
    void signSchnorr_sameSignatures_whichBothVerify(@ForAll("scalars") byte[] secret, @ForAll("scalars") byte[] msg,
            @ForAll("secrets") byte[] aux) {
        if (!Secp256k1.isValidScalar(secret)) {
            // The public key cannot even be made: the same refusal from each.
            assertEquals("refused: IllegalArgumentException", agree(p -> p.publicKey(secret), secret));
            // Nor is a signature made with it, whatever key it is said to belong to.
            byte[] someKey = BC.serialize(BC.publicKey(aux));
            assertEquals("refused: IllegalArgumentException",
                    agree(p -> p.signSchnorr(secret, p.parse(someKey), msg, aux), secret, someKey, msg, aux));
            return;
        }
        byte[] pub = BC.serialize(BC.publicKey(secret));
        byte[] xOnly = Arrays.copyOfRange(pub, 1, 33);
        String sig = agree(p -> p.signSchnorr(secret, p.parse(pub), msg, aux), secret, pub, msg, aux);
        byte[] sigBytes = Bytes.fromHex(sig).toArray();
        assertEquals("true", agree(p -> p.verifySchnorr(xOnly, null, msg, sigBytes), xOnly, msg, sigBytes));
        assertEquals("true", agree(p -> p.verifySchnorr(xOnly, p.parse(pub), msg, sigBytes), xOnly, pub, msg, sigBytes));
        byte[] shortAux = new byte[31];
        assertEquals("refused: IllegalArgumentException", agree(p -> p.signSchnorr(secret, p.parse(pub), msg, shortAux), shortAux));
    }

    @Property(tries = 300)
    void verifySchnorr_sameAnswer_neverThrows(@ForAll("secrets") byte[] secret, @ForAll("secrets") byte[] msg,
            @ForAll("secrets") byte[] aux, @ForAll @IntRange(min = -1, max = 767) int flip,
            @ForAll("encodings") byte[] otherKey) {
        byte[] pub = BC.serialize(BC.publicKey(secret));
        byte[] sig = BC.signSchnorr(secret, BC.publicKey(secret), msg, aux);
        byte[] xOnly = Arrays.copyOfRange(pub, 1, 33);
        // Flip one bit of the signature (bits 0-511), or of the key (512-767), or nothing (-1).
        if (flip >= 0 && flip < 512) {
            sig[flip / 8] ^= (byte) (1 << (flip % 8));
        } else if (flip >= 512) {
            xOnly[(flip - 512) / 8] ^= (byte) (1 << (flip % 8));
        }
        String r = agree(p -> p.verifySchnorr(xOnly, null, msg, sig), xOnly, msg, sig);
        assertEquals(flip < 0 ? "true" : "false", r);
        // An unrelated (maybe invalid) x-only key, and wrong lengths, are false, not exceptions.
        byte[] otherX = otherKey.length >= 33 ? Arrays.copyOfRange(otherKey, 1, 33) : otherKey;
        String other = agree(p -> p.verifySchnorr(otherX, null, msg, sig), otherX, msg, sig);
        assertFalse(other.startsWith("refused"), other);
        assertEquals("false", agree(p -> p.verifySchnorr(xOnly, null, msg, Arrays.copyOf(sig, 63)), xOnly, msg));
    }
    /** 32-byte hashes: random, and the edges 0 and values at or above n (reduced mod n before signing). */
    @Provide
    Arbitrary<byte[]> hashes() {
        Arbitrary<byte[]> edges = Arbitraries.of(BigInteger.ZERO, N, N.add(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)).map(Secp256k1ProvidersAgreeTest::b32);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofSize(32)),
                net.jqwik.api.Tuple.of(1, edges));
    }

    /** BOLT 7 signatures (RFC 6979, low s): both providers write the same 64 bytes, which both verify. */
    @Property(tries = 150)
    void signEcdsa_sameLowSSignatures_whichBothVerify(@ForAll("secrets") byte[] secret, @ForAll("hashes") byte[] hash) {
        byte[] sig = Bytes.fromHex(agree(p -> p.signEcdsa(secret, hash), secret, hash)).toArray();
        assertTrue(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(N.shiftRight(1)) <= 0, "low s");
        byte[] pub = BC.serialize(BC.publicKey(secret));
        assertEquals("true", agree(p -> p.verifyEcdsa(p.parse(pub), hash, sig), pub, hash, sig));
        assertEquals("refused: IllegalArgumentException", agree(p -> p.signEcdsa(secret, Arrays.copyOf(hash, 31)), secret));
    }

    /**
     * Verification gives the same answer on both providers and never throws: a flipped bit, the
     * high-s twin (accepted, as libsecp256k1 does), r or s of 0 or n, wrong lengths.
     */
    @Property(tries = 150)
    void verifyEcdsa_sameAnswer_neverThrows(@ForAll("secrets") byte[] secret, @ForAll("hashes") byte[] hash,
            @ForAll @IntRange(min = -1, max = 511) int flip, @ForAll @IntRange(min = 0, max = 6) int variant) {
        byte[] pub = BC.serialize(BC.publicKey(secret));
        byte[] sig = BC.signEcdsa(secret, hash);
        if (flip >= 0) {
            sig[flip / 8] ^= (byte) (1 << (flip % 8));
        }
        byte[] r = Arrays.copyOfRange(sig, 0, 32);
        byte[] s = Arrays.copyOfRange(sig, 32, 64);
        byte[] h = hash;
        byte[] zero = new byte[32];
        switch (variant) {
            case 1 -> s = b32(N.subtract(new BigInteger(1, s)).mod(N));
            case 2 -> r = zero;
            case 3 -> s = zero;
            case 4 -> r = b32(N);
            case 5 -> s = b32(N);
            case 6 -> h = Arrays.copyOf(hash, 31);
            default -> { }
        }
        byte[] candidate = new byte[64];
        System.arraycopy(r, 0, candidate, 0, 32);
        System.arraycopy(s, 0, candidate, 32, 32);
        byte[] hh = h;
        String answer = agree(p -> p.verifyEcdsa(p.parse(pub), hh, candidate), pub, hh, candidate);
        boolean genuine = flip < 0 && (variant == 0 || variant == 1 && new BigInteger(1, s).signum() != 0);
        assertEquals(String.valueOf(genuine), answer);
        assertEquals("false", agree(p -> p.verifyEcdsa(p.parse(pub), hash, Arrays.copyOf(candidate, 63)), pub, hash));
    }

    /**
     * A signature whose R would be the point at infinity (hash ≡ −r·d, s = 1: e·G + r·P = O): no
     * x coordinate to compare, and a plain false on both providers.
     */
    @Property(tries = 30)
    void verifyEcdsa_ofAnInfiniteR_isFalse(@ForAll("secrets") byte[] secret) {
        byte[] pub = BC.serialize(BC.publicKey(secret));
        BigInteger d = new BigInteger(1, secret);
        byte[] hash = b32(N.subtract(d).mod(N));
        byte[] sig = new byte[64];
        sig[31] = 1;
        sig[63] = 1;
        assertEquals("false", agree(p -> p.verifyEcdsa(p.parse(pub), hash, sig), pub, hash, sig));
    }
    /** BIP-340 signs messages of any length: a message that is not 32 bytes verifies, and a flipped bit does not. */
    @Property(tries = 60)
    void schnorr_ofMessagesOfAnyLength_sameAnswers(@ForAll("secrets") byte[] secret, @ForAll("secrets") byte[] aux,
            @ForAll @net.jqwik.api.constraints.Size(max = 100) byte[] msg, @ForAll @IntRange(min = 0, max = 511) int flip) {
        net.jqwik.api.Assume.that(msg.length != 32);
        byte[] pub = BC.serialize(BC.publicKey(secret));
        byte[] xOnly = Arrays.copyOfRange(pub, 1, 33);
        byte[] sig = Bytes.fromHex(agree(p -> p.signSchnorr(secret, p.parse(pub), msg, aux), secret, pub, msg, aux)).toArray();
        assertEquals("true", agree(p -> p.verifySchnorr(xOnly, null, msg, sig), xOnly, msg, sig));
        byte[] flipped = sig.clone();
        flipped[flip / 8] ^= (byte) (1 << (flip % 8));
        assertEquals("false", agree(p -> p.verifySchnorr(xOnly, null, msg, flipped), xOnly, msg, flipped));
    }
}
