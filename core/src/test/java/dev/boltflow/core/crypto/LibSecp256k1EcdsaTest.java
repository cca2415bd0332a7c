package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.testing.Secp256k1TestProviders;
import java.math.BigInteger;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * The native provider's ECDSA (ready for main's {@code signEcdsa}/{@code verifyEcdsa}) against
 * BouncyCastle's RFC 6979 ECDSA signer: the same r and low s; a high s verifies; r or s of zero or
 * not below n, a wrong hash or a wrong key do not.
 */
class LibSecp256k1EcdsaTest {
    private static final LibSecp256k1 NATIVE = Secp256k1TestProviders.nativeProvider();
    private static final BigInteger N = Secp256k1.N;

    @Provide
    Arbitrary<byte[]> secrets() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).filter(Secp256k1::isValidScalar);
    }

    @Provide
    Arbitrary<byte[]> hashes() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Property(tries = 200)
    void signatures_are_rfc6979_with_low_s_and_verify(@ForAll("secrets") byte[] secret, @ForAll("hashes") byte[] hash) {
        byte[] sig = NATIVE.signEcdsa(secret, hash);
        ECDSASigner bc = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        bc.init(true, new ECPrivateKeyParameters(new BigInteger(1, secret),
                new ECDomainParameters(Secp256k1.CURVE, Secp256k1.G, N)));
        BigInteger[] rs = bc.generateSignature(hash);
        BigInteger s = rs[1].compareTo(N.shiftRight(1)) > 0 ? N.subtract(rs[1]) : rs[1];
        assertArrayEquals(Secp256k1.toBytes32(rs[0]), Arrays.copyOfRange(sig, 0, 32));
        assertArrayEquals(Secp256k1.toBytes32(s), Arrays.copyOfRange(sig, 32, 64));

        Object pub = NATIVE.publicKey(secret);
        assertTrue(NATIVE.verifyEcdsa(pub, hash, sig));
        byte[] highS = sig.clone();
        System.arraycopy(Secp256k1.toBytes32(N.subtract(s)), 0, highS, 32, 32);
        assertTrue(NATIVE.verifyEcdsa(pub, hash, highS), "a high s is accepted");
        byte[] otherHash = hash.clone();
        otherHash[0] ^= 1;
        assertFalse(NATIVE.verifyEcdsa(pub, otherHash, sig));
        byte[] two = Secp256k1.toBytes32(BigInteger.TWO);
        assertFalse(NATIVE.verifyEcdsa(NATIVE.publicKey(NATIVE.multiplySecret(secret, two)), hash, sig), "another key");
    }

    @Property(tries = 50)
    void malformed_signatures_are_false_not_exceptions(@ForAll("secrets") byte[] secret, @ForAll("hashes") byte[] hash) {
        Object pub = NATIVE.publicKey(secret);
        byte[] sig = NATIVE.signEcdsa(secret, hash);
        byte[] zeroR = sig.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        byte[] bigS = sig.clone();
        System.arraycopy(Secp256k1.toBytes32(N), 0, bigS, 32, 32);
        assertFalse(NATIVE.verifyEcdsa(pub, hash, zeroR));
        assertFalse(NATIVE.verifyEcdsa(pub, hash, bigS));
        assertFalse(NATIVE.verifyEcdsa(pub, hash, Arrays.copyOf(sig, 63)));
        assertFalse(NATIVE.verifyEcdsa(pub, Arrays.copyOf(hash, 31), sig));
        assertThrows(IllegalArgumentException.class, () -> NATIVE.signEcdsa(new byte[32], hash));
    }
}
