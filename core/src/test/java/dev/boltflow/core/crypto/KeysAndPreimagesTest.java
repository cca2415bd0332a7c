package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.testing.OnEachSecp256k1Provider;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Point addition, fresh BIP-340 aux randomness, and what a preimage shows of itself. */
class KeysAndPreimagesTest extends OnEachSecp256k1Provider {
    private static PrivateKey scalar(long v) {
        return PrivateKey.fromBytes(Secp256k1.toBytes32(BigInteger.valueOf(v)));
    }

    @Test
    void add_isTheSumOfTheScalars_andRefusesInfinity() {
        assertEquals(scalar(12).publicKey(), scalar(5).publicKey().add(scalar(7).publicKey()));
        PrivateKey minusFive = PrivateKey.fromBytes(Secp256k1.toBytes32(Secp256k1.N.subtract(BigInteger.valueOf(5))));
        assertThrows(IllegalArgumentException.class, () -> scalar(5).publicKey().add(minusFive.publicKey()));
    }

    /** BIP-340 "Default Signing": fresh auxiliary randomness, so two signatures of one message differ; both verify. */
    @Test
    void signingWithARandomSource_drawsFreshAuxRandomness() {
        PrivateKey key = scalar(99);
        Bytes32 msg = Bytes32.fromHex("42".repeat(32));
        SecureRandom random = new SecureRandom();
        Signature a = Schnorr.sign(key, msg, random);
        Signature b = Schnorr.sign(key, msg, random);
        assertNotEquals(a, b);
        assertTrue(Schnorr.verify(key.publicKey(), msg, a));
        assertTrue(Schnorr.verify(key.publicKey(), msg, b));
        assertNotEquals(Schnorr.sign(key, msg, Bytes32.ZERO), a, "not the all-zero aux");
    }

    @Test
    void aPreimage_printsRedacted_andEqualsByValue() {
        Bytes32 secret = Bytes32.fromHex("ab".repeat(32));
        PaymentPreimage p = PaymentPreimage.of(secret);
        assertEquals("PaymentPreimage[redacted]", p.toString());
        assertFalse(p.toString().contains("abab"));
        assertEquals(p, PaymentPreimage.of(secret.toArray()));
        assertEquals(p.hashCode(), PaymentPreimage.of(secret.toArray()).hashCode());
        assertEquals(Hashes.sha256Of(secret.toArray()), p.paymentHash());
        assertNotEquals(p, PaymentPreimage.of(Bytes32.ZERO));
    }
    /** BIP-340 signs messages of any length (BOLT 12 signs 32-byte hashes; other callers need not). */
    @Test
    void aMessageOfAnyLength_isSignedWithFreshAux_andVerifies() {
        PrivateKey key = scalar(1234);
        dev.boltflow.core.bytes.Bytes msg = dev.boltflow.core.bytes.Bytes.fromHex("0102030405");
        Signature sig = Schnorr.sign(key, msg, new SecureRandom());
        assertTrue(Schnorr.verify(key.publicKey(), msg, sig));
        assertTrue(Schnorr.verify(key.publicKey().xOnly(), msg, sig));
        assertFalse(Schnorr.verify(key.publicKey(), dev.boltflow.core.bytes.Bytes.fromHex("0102030406"), sig));
    }

    /** A gossip signature is public: it prints as its 64 bytes in hex. */
    @Test
    void anEcdsaSignature_printsItsHex() {
        Bytes32 hash = Ecdsa.doubleSha256(new byte[] {1, 2, 3}, 0, 3);
        EcdsaSignature sig = Ecdsa.sign(scalar(5), hash);
        assertEquals(sig.bytes().toHex(), sig.toString());
        assertEquals(128, sig.toString().length());
        assertTrue(Ecdsa.verify(scalar(5).publicKey(), hash, sig));
        assertFalse(Ecdsa.verify(scalar(6).publicKey(), hash, sig));
        assertFalse(Ecdsa.verify(scalar(5).publicKey(), Ecdsa.doubleSha256(new byte[] {1, 2, 4}, 0, 3), sig));
    }

    /** BOLT 7 signs SHA256(SHA256(the message from its fourth field on)): a range of the bytes. */
    @Test
    void doubleSha256_ofARange_hashesOnlyThoseBytes_twice() {
        byte[] message = {9, 9, 1, 2, 3, 9};
        assertEquals(Bytes32.wrap(Hashes.sha256(Hashes.sha256(new byte[] {1, 2, 3}))), Ecdsa.doubleSha256(message, 2, 5));
    }

    @Test
    void distinctKeys_areNotEqual() {
        assertNotEquals(scalar(5).publicKey(), scalar(7).publicKey());
        assertEquals(scalar(5).publicKey(), PublicKey.fromHex(scalar(5).publicKey().toHex()));
    }
}
