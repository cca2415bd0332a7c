package dev.boltflow.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.core.bytes.Bytes;
import dev.boltflow.core.bytes.Bytes32;
import dev.boltflow.core.testing.EachSecp256k1Provider;
import java.security.SecureRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** BIP-340 sign/verify round trips, and single-bit changes that must break verification; each try on each provider. */
@AddLifecycleHook(EachSecp256k1Provider.class)
class SchnorrPropertyTest {

    @Provide
    Arbitrary<PrivateKey> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32)
                .filter(b -> {
                    java.math.BigInteger k = new java.math.BigInteger(1, b);
                    return k.signum() > 0 && k.compareTo(Secp256k1.N) < 0;
                })
                .map(PrivateKey::fromBytes);
    }

    @Provide
    Arbitrary<Bytes32> bytes32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Bytes32::wrap);
    }

    @Property(tries = 60)
    void signature_verifies_under_its_key(@ForAll("keys") PrivateKey key, @ForAll("bytes32") Bytes32 msg,
            @ForAll("bytes32") Bytes32 aux) {
        Signature sig = Schnorr.sign(key, msg, aux);
        assertTrue(Schnorr.verify(key.publicKey().xOnly(), msg, sig));
        assertTrue(Schnorr.verify(key.publicKey(), msg, sig));
        assertEquals(sig, Schnorr.sign(key, msg, aux), "deterministic for a given aux");
    }

    @Property(tries = 20)
    void fresh_randomness_signatures_verify(@ForAll("keys") PrivateKey key, @ForAll("bytes32") Bytes32 msg) {
        SecureRandom random = new SecureRandom();
        Signature a = Schnorr.sign(key, msg, random);
        Signature b = Schnorr.sign(key, msg, random);
        assertTrue(Schnorr.verify(key.publicKey(), msg, a));
        assertTrue(Schnorr.verify(key.publicKey(), msg, b));
    }

    @Property(tries = 20)
    void messages_of_any_length_round_trip(@ForAll("keys") PrivateKey key, @ForAll @Size(max = 100) byte[] msg,
            @ForAll("bytes32") Bytes32 aux) {
        Signature sig = Schnorr.sign(key, Bytes.of(msg), aux);
        assertTrue(Schnorr.verify(key.publicKey().xOnly(), Bytes.of(msg), sig));
    }

    @Property(tries = 60)
    void a_flipped_signature_bit_fails(@ForAll("keys") PrivateKey key, @ForAll("bytes32") Bytes32 msg,
            @ForAll("bytes32") Bytes32 aux, @ForAll @IntRange(min = 0, max = 511) int bit) {
        Signature sig = Schnorr.sign(key, msg, aux);
        Signature bad = new Signature(Bytes.wrap(flip(sig.toArray(), bit)));
        assertFalse(Schnorr.verify(key.publicKey().xOnly(), msg, bad));
        assertFalse(Schnorr.verify(key.publicKey(), msg, bad));
    }

    @Property(tries = 60)
    void a_flipped_message_bit_fails(@ForAll("keys") PrivateKey key, @ForAll("bytes32") Bytes32 msg,
            @ForAll("bytes32") Bytes32 aux, @ForAll @IntRange(min = 0, max = 255) int bit) {
        Signature sig = Schnorr.sign(key, msg, aux);
        assertFalse(Schnorr.verify(key.publicKey(), Bytes32.wrap(flip(msg.toArray(), bit)), sig));
    }

    @Property(tries = 60)
    void a_flipped_key_bit_fails(@ForAll("keys") PrivateKey key, @ForAll("bytes32") Bytes32 msg,
            @ForAll("bytes32") Bytes32 aux, @ForAll @IntRange(min = 0, max = 255) int bit) {
        Signature sig = Schnorr.sign(key, msg, aux);
        // Often not an x coordinate at all: that must be a plain false too.
        assertFalse(Schnorr.verify(Bytes32.wrap(flip(key.publicKey().xOnly().toArray(), bit)), msg, sig));
    }

    @Property(tries = 200)
    void garbage_never_throws(@ForAll("bytes32") Bytes32 key, @ForAll("bytes32") Bytes32 msg,
            @ForAll @Size(64) byte[] sig) {
        assertFalse(Schnorr.verify(key, msg, new Signature(Bytes.of(sig))));
    }

    private static byte[] flip(byte[] b, int bit) {
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        return b;
    }
}
